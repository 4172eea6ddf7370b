// A local image running a real gRPC health server (grpc-js, the same library the agent
// probes with), for the grpc probe scenarios. No registry is reachable here, so it is
// built on the local busybox image from the host's own `node` binary, the shared
// libraries `ldd` names, and the two packages grpc-js loads (see environment.md).
// Tagged by a hash of its inputs: a second run finds it and builds nothing.
//
// The server answers grpc.health.v1.Health/Check on $PORT: "" and "app" with the status
// held in /tmp/health (SERVING when the file is absent), any other service NOT_FOUND
// "unknown service" (what grpc-go's health server says). `echo NOT_SERVING >/tmp/health`
// in the container flips it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { BUSYBOX } from '../../harness/agent.js';

const run = promisify(execFile);

const SERVER = `'use strict';
const grpc = require('@grpc/grpc-js');
const fs = require('fs');
const STATUS = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 };
// HealthCheckRequest { string service = 1 }: tag 0x0a, a one-byte length is enough here.
const decode = (b) => ({ service: b.length > 2 && b[0] === 0x0a ? b.subarray(2, 2 + b[1]).toString() : '' });
// HealthCheckResponse { ServingStatus status = 1 }.
const encode = (n) => (n === 0 ? Buffer.alloc(0) : Buffer.from([0x08, n]));
const current = () => {
  try { return fs.readFileSync('/tmp/health', 'utf8').trim(); } catch { return 'SERVING'; }
};
const server = new grpc.Server();
server.addService({
  Check: {
    path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false,
    requestSerialize: (x) => x, requestDeserialize: decode,
    responseSerialize: encode, responseDeserialize: (x) => x,
  },
}, {
  Check: (call, cb) => {
    const s = call.request.service;
    if (s !== '' && s !== 'app') return cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
    const name = current();
    console.log('Check', JSON.stringify(s), name);
    cb(null, STATUS[name] ?? 0);
  },
});
server.bindAsync('0.0.0.0:' + (process.env.PORT || '9000'), grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) { console.error(err.message); process.exit(1); }
  console.log('serving on', port);
});
process.on('SIGTERM', () => process.exit(0));
`;

const DOCKERFILE = `FROM ${BUSYBOX}
COPY rootfs/ /
ENV NODE_PATH=/app/node_modules
CMD ["/usr/local/bin/node", "/app/server.cjs"]
`;

/** The package directory of `name`, as grpc-js resolves it. */
function packageDir(name: string, from?: string): string {
  const req = createRequire(from ?? import.meta.url);
  return dirname(req.resolve(`${name}/package.json`));
}

async function libraries(nodePath: string): Promise<string[]> {
  const { stdout } = await run('ldd', [nodePath]);
  return [...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]!);
}

async function copyInto(rootfs: string, src: string, dest = src): Promise<void> {
  await fs.mkdir(dirname(join(rootfs, dest)), { recursive: true });
  await fs.cp(src, join(rootfs, dest), { recursive: true, dereference: true });
}

/** Builds (once per content) and returns the image reference. */
export async function ensureGrpcHealthImage(): Promise<string> {
  const nodePath = process.execPath;
  const grpcDir = packageDir('@grpc/grpc-js');
  const mapDir = packageDir('@js-sdsl/ordered-map', join(grpcDir, 'package.json'));
  const libs = await libraries(nodePath);
  const grpcVersion = JSON.parse(await fs.readFile(join(grpcDir, 'package.json'), 'utf8')).version as string;
  const hash = createHash('sha256')
    .update(JSON.stringify([SERVER, DOCKERFILE, process.version, nodePath, grpcVersion, libs]))
    .digest('hex')
    .slice(0, 16);
  const ref = `minikubelet.local/grpc-health:${hash}`;
  try {
    await run('docker', ['image', 'inspect', ref]);
    return ref;
  } catch {
    /* build it */
  }
  const ctx = await fs.mkdtemp(join(tmpdir(), 'mkl-grpc-image-'));
  try {
    const rootfs = join(ctx, 'rootfs');
    await copyInto(rootfs, nodePath, '/usr/local/bin/node');
    for (const lib of libs) await copyInto(rootfs, lib);
    await copyInto(rootfs, grpcDir, '/app/node_modules/@grpc/grpc-js');
    await copyInto(rootfs, mapDir, '/app/node_modules/@js-sdsl/ordered-map');
    await fs.writeFile(join(rootfs, 'app', 'server.cjs'), SERVER);
    await fs.writeFile(join(ctx, 'Dockerfile'), DOCKERFILE);
    await run('docker', ['build', '-q', '-t', ref, ctx], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 180_000,
    });
    return ref;
  } finally {
    await fs.rm(ctx, { recursive: true, force: true });
  }
}
