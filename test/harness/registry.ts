// A real private registry for pull tests: Debian's `docker-registry` (distribution
// 2.8) as a host process on 127.0.0.1:<free port>, htpasswd (bcrypt) auth, temporary
// storage. Loopback registries are plain-HTTP-allowed by the engine, so no TLS.
// push() tags a local image into it and pushes it with the engine API and credentials;
// stop() kills the process, removes the temp dir and every local image tagged for it.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  username: string;
  password: string;
  /** Tag a local image as `<host>/<repo>:<tag>`, push it with credentials, drop the local tag. */
  push(localImage: string, repoTag: string): Promise<string>;
  /** Access-log lines seen so far (method, path, status). */
  requests(): { method: string; path: string; status: number; user?: string }[];
  /** Successful manifest requests for repo:tag (the engine sends one HEAD per pull, then GETs by digest). */
  manifestFetches(repo: string, tag: string): number;
  stop(): Promise<void>;
}

const docker = new Dockerode();

export async function startRegistry(opts: { username?: string; password?: string } = {}): Promise<TestRegistry> {
  const username = opts.username ?? 'tester';
  const password = opts.password ?? `pw-${randomBytes(9).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'mkl-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const htpasswd = execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' });
  writeFileSync(join(dir, 'htpasswd'), htpasswd, { mode: 0o600 });
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: info',
      '  accesslog:',
      '    disabled: false',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      'auth:',
      '  htpasswd:',
      '    realm: minikubelet-test',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  const proc: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  const onData = (d: Buffer) => {
    partial += d.toString('utf8');
    for (let i = partial.indexOf('\n'); i >= 0; i = partial.indexOf('\n')) {
      lines.push(partial.slice(0, i));
      partial = partial.slice(i + 1);
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  // Ready when /v2/ answers (401 without credentials).
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const r = await fetch(`http://${host}/v2/`);
      if (r.status === 401) break;
    } catch {
      /* not listening yet */
    }
    if (proc.exitCode !== null || Date.now() > deadline) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`docker-registry did not start:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const pushed = new Set<string>();
  // Access log: `127.0.0.1 - tester [..] "GET /v2/private/app/manifests/v1 HTTP/1.1" 200 …`
  const ACCESS = /^\S+ - (\S+) \[[^\]]*\] "(\w+) (\S+) HTTP\/[\d.]+" (\d{3})/;
  const requests = () =>
    lines.flatMap((l) => {
      const m = ACCESS.exec(l);
      return m ? [{ method: m[2]!, path: m[3]!, status: Number(m[4]), ...(m[1] !== '-' ? { user: m[1]! } : {}) }] : [];
    });

  return {
    host,
    username,
    password,
    requests,
    manifestFetches(repo, tag) {
      return requests().filter(
        (r) =>
          r.status === 200 && (r.method === 'GET' || r.method === 'HEAD') && r.path === `/v2/${repo}/manifests/${tag}`,
      ).length;
    },
    async push(localImage, repoTag) {
      const ref = `${host}/${repoTag}`;
      const colon = ref.lastIndexOf(':');
      const repo = ref.slice(0, colon);
      const tag = ref.slice(colon + 1);
      await docker.getImage(localImage).tag({ repo, tag });
      pushed.add(ref);
      const stream = await docker.getImage(ref).push({ tag, authconfig: { username, password, serveraddress: host } });
      let inBand: string | undefined;
      await new Promise<void>((resolve, reject) =>
        docker.modem.followProgress(
          stream,
          (err: Error | null) => (err ? reject(err) : resolve()),
          (e: { error?: string }) => {
            if (e.error) inBand = e.error;
          },
        ),
      );
      if (inBand) throw new Error(`push of ${ref} failed: ${inBand}`);
      // Untag, so that pods must pull it from the registry.
      await docker
        .getImage(ref)
        .remove({ noprune: true })
        .catch(() => undefined);
      return ref;
    },
    async stop() {
      // Images pulled by tests under this registry's name, and the pushed tags.
      const all = await docker.listImages();
      const tags = all.flatMap((i) => (i.RepoTags ?? []).filter((t) => t.startsWith(`${host}/`)));
      await Promise.all(
        [...new Set([...tags, ...pushed])].map((t) =>
          docker
            .getImage(t)
            .remove({ noprune: true })
            .catch(() => undefined),
        ),
      );
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Remove any local image under the registry's name (so the next pod has to pull). */
export async function removeLocalImage(ref: string): Promise<void> {
  await docker
    .getImage(ref)
    .remove({ noprune: true })
    .catch(() => undefined);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
