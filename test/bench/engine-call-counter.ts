// `node dist/test/bench/engine-call-counter.js LISTEN.sock [ENGINE.sock]`: a pass-through
// proxy in front of the Docker socket that counts the engine calls an agent makes, by
// method and path (IDs and names folded to :id, query strings to ?…). Run the agent with
// DOCKER_HOST=unix://LISTEN.sock; SIGUSR2 prints the counts so far (JSON, to stdout),
// so two readings a window apart give calls per second. Issue #17 used it to find the
// per-pod resync's list call (1.6/s at 100 pods) that reading the PLEG's relist removed.
import { chmodSync, unlinkSync } from 'node:fs';
import { connect, createServer } from 'node:net';

const REQUEST_LINE = /(GET|POST|DELETE|HEAD|PUT) (\/[^ ]*) HTTP\/1\.[01]\r\n/g;

/** `POST /v1.41/containers/<id>/start?x=1` → `POST /containers/:id/start?…`. */
export function callKey(method: string, path: string): string {
  const p = path
    .replace(/^\/v1\.\d+/, '')
    .replace(/\/(containers|exec|images|networks|volumes)\/[^/?]+/g, '/$1/:id')
    .replace(/\?.+$/, '?…');
  return `${method} ${p}`;
}

/** Request lines in a chunk a client wrote (keep-alive: each request starts a write of its own). */
export function requestsIn(chunk: Buffer): string[] {
  const head = chunk.toString('latin1', 0, Math.min(chunk.length, 8192));
  return [...head.matchAll(REQUEST_LINE)].map((m) => callKey(m[1]!, m[2]!));
}

function main(argv: string[]): void {
  const [listen, engine = '/var/run/docker.sock'] = argv;
  if (!listen) throw new Error('usage: engine-call-counter LISTEN.sock [ENGINE.sock]');
  const counts = new Map<string, number>();
  try {
    unlinkSync(listen);
  } catch {
    // not there yet
  }
  createServer((client) => {
    const upstream = connect(engine);
    client.on('data', (d: Buffer) => {
      for (const k of requestsIn(d)) counts.set(k, (counts.get(k) ?? 0) + 1);
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }).listen(listen, () => chmodSync(listen, 0o600));
  process.on('SIGUSR2', () => console.log(JSON.stringify(Object.fromEntries(counts))));
}

if (process.argv[1]?.endsWith('engine-call-counter.js')) main(process.argv.slice(2));
