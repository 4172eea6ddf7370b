// A local image running a real gRPC health server (grpc-js, the same library the agent
// probes with), for the grpc probe scenarios. No registry is reachable here, so it is
// built on the local busybox image from the host's own `node` binary, the shared
// libraries `ldd` names, and the two packages grpc-js loads (see environment.md), through
// the engine's build API as setup builds its images (src/setup/image-build.ts): the build
// hash covers every input and the base image's id, so a second run costs one inspect.
//
// The server answers grpc.health.v1.Health/Check on $PORT: "" and "app" with the status
// held in /tmp/health (SERVING when the file is absent), any other service NOT_FOUND
// "unknown service" (what grpc-go's health server says). `echo NOT_SERVING >/tmp/health`
// in the container flips it.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { buildHash, buildImage, imageBuildHash } from '../../../src/setup/image-build.js';
import { tarPack, type TarEntry } from '../../../src/setup/tar.js';
import { silentLogger } from '../../../src/util/logger.js';
import { BUSYBOX, docker } from '../../harness/agent.js';

export const GRPC_HEALTH_IMAGE = 'minikubelet.local/grpc-health:test';

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

/** Every file under `dir` as a tar entry at `dest` (symlinks followed, as npm leaves none here). */
async function treeEntries(dir: string, dest: string): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    out.push({ type: 'file', name: join(dest, relative(dir, full)), data: await fs.readFile(full) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Builds the image when its inputs changed and returns its reference. */
export async function ensureGrpcHealthImage(): Promise<string> {
  const grpcDir = packageDir('@grpc/grpc-js');
  const mapDir = packageDir('@js-sdsl/ordered-map', join(grpcDir, 'package.json'));
  const exe = async (path: string, name = path): Promise<TarEntry> => ({
    type: 'file',
    name: `rootfs${name}`,
    mode: 0o755,
    data: await fs.readFile(path),
  });
  const entries: TarEntry[] = [
    { type: 'file', name: 'Dockerfile', data: DOCKERFILE },
    await exe(process.execPath, '/usr/local/bin/node'),
    ...(await Promise.all((await libraries(process.execPath)).map((l) => exe(l)))),
    { type: 'file', name: 'rootfs/app/server.cjs', data: SERVER },
    ...(await treeEntries(grpcDir, 'rootfs/app/node_modules/@grpc/grpc-js')),
    ...(await treeEntries(mapDir, 'rootfs/app/node_modules/@js-sdsl/ordered-map')),
  ];
  const base = (await docker.getImage(BUSYBOX).inspect()).Id;
  const hash = buildHash(
    'grpc-health/v1',
    base,
    ...entries.flatMap((e) => [e.name, e.type === 'file' ? e.data : '', String(e.type === 'file' ? e.mode : '')]),
  );
  if ((await imageBuildHash(docker, GRPC_HEALTH_IMAGE)) !== hash)
    await buildImage(docker, tarPack(entries), GRPC_HEALTH_IMAGE, hash, silentLogger());
  return GRPC_HEALTH_IMAGE;
}
