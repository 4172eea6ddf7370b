// Against the real engine: the locally built images exist, behave, and a second
// ensureLocalImages rebuilds nothing.
import { test, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readBuildMemo } from '../../../src/setup/build-memo.js';
import { tmpdir } from 'node:os';
import Dockerode from 'dockerode';
import { PassThrough, Readable } from 'node:stream';
import { drainProgress } from '../../../src/setup/progress.js';
import { tarPack } from '../../../src/setup/tar.js';
import { ensureEngine } from '../../../src/setup/engine.js';
import { resolveDockerHost } from '../../../src/util/docker-host.js';
import { dockerodeOptions } from '../../../src/runtime/docker-client.js';
import { BUILD_HASH_LABEL, ensureLocalImages } from '../../../src/setup/images.js';
import { LOCAL_BUSYBOX_IMAGE, LOCAL_PAUSE_IMAGE } from '../../../src/options.js';
import { silentLogger } from '../../../src/util/logger.js';

const log = silentLogger();
/** Never written: the engine these tests meet is not started by them. */
const rootDir = join(tmpdir(), 'mkl-setup-unused');
const created: Dockerode.Container[] = [];
let docker: Dockerode;

after(async () => {
  for (const c of created) await c.remove({ force: true }).catch(() => undefined);
});

async function ids(): Promise<[string, string]> {
  const p = await docker.getImage(LOCAL_PAUSE_IMAGE).inspect();
  const b = await docker.getImage(LOCAL_BUSYBOX_IMAGE).inspect();
  return [p.Id, b.Id];
}

test('engine answers and both images are built, labelled with their build hash', async () => {
  const engine = await ensureEngine({ log, rootDir, install: false });
  assert.match(engine.apiVersion, /^1\.\d+$/);
  docker = new Dockerode(dockerodeOptions(resolveDockerHost(engine.dockerHost)));
  await ensureLocalImages(docker, { log });
  for (const name of [LOCAL_PAUSE_IMAGE, LOCAL_BUSYBOX_IMAGE]) {
    const img = await docker.getImage(name).inspect();
    assert.match(img.Config.Labels?.[BUILD_HASH_LABEL] ?? '', /^sha256:[0-9a-f]{64}$/, name);
  }
});

test('the pause image stops on SIGTERM with exit code 0', async () => {
  const c = await docker.createContainer({ Image: LOCAL_PAUSE_IMAGE, HostConfig: { IpcMode: 'shareable' } });
  created.push(c);
  await c.start();
  await c.stop({ t: 10 });
  const info = await c.inspect();
  // SIGTERM ended it (exit 0), not SIGKILL after the 10 s grace (137).
  assert.equal(info.State.ExitCode, 0);
  const img = await docker.getImage(LOCAL_PAUSE_IMAGE).inspect();
  assert.equal((img.Config as { StopSignal?: string }).StopSignal, 'SIGTERM');
});

test('the busybox image runs a shell with a writable /tmp', async () => {
  const c = await docker.createContainer({
    Image: LOCAL_BUSYBOX_IMAGE,
    Cmd: ['sh', '-c', 'echo hi; ls -ld /tmp; touch /tmp/x && ls /tmp; /usr/bin/env true && echo env-ok'],
  });
  created.push(c);
  await c.start();
  const res = (await c.wait()) as { StatusCode: number };
  const raw = await c.logs({ stdout: true, stderr: true });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  docker.modem.demuxStream(Readable.from([raw]), out, out);
  await new Promise((r) => setImmediate(r));
  const text = Buffer.concat(chunks).toString();
  assert.equal(res.StatusCode, 0, text);
  assert.match(text, /^hi$/m);
  assert.match(text, /drwxrwxrwt/);
  assert.match(text, /^x$/m);
  assert.match(text, /env-ok/);
});

test('a second ensureLocalImages rebuilds nothing', async () => {
  const before = await ids();
  await ensureLocalImages(docker, { log });
  assert.deepEqual(await ids(), before);
});

test('with a build memo, an unchanged busybox context is not recomputed; a wrong memo is corrected, nothing rebuilt', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-memo-'));
  try {
    const buildMemoFile = join(dir, 'image-build-memo.json');
    const before = await ids();
    const label = (await docker.getImage(LOCAL_BUSYBOX_IMAGE).inspect()).Config.Labels[BUILD_HASH_LABEL];
    await ensureLocalImages(docker, { log, buildMemoFile });
    const memo = readBuildMemo(buildMemoFile);
    // The first run computed the context's hash and remembered it: the image's label.
    assert.equal(memo[LOCAL_BUSYBOX_IMAGE]?.hash, label);
    await ensureLocalImages(docker, { log, buildMemoFile });
    assert.deepEqual(await ids(), before);
    // A memo whose hash disagrees with the image is not trusted: the full check runs.
    writeFileSync(
      buildMemoFile,
      JSON.stringify({ [LOCAL_BUSYBOX_IMAGE]: { ...memo[LOCAL_BUSYBOX_IMAGE], hash: 'sha256:0' } }),
    );
    await ensureLocalImages(docker, { log, buildMemoFile });
    assert.deepEqual(await ids(), before);
    assert.equal(readBuildMemo(buildMemoFile)[LOCAL_BUSYBOX_IMAGE]?.hash, label);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing build is reported from inside the progress stream', async () => {
  const tar = tarPack([{ type: 'file', name: 'Dockerfile', data: 'FROM scratch\nCOPY no-such-file /x\n' }]);
  const stream = await docker.buildImage(Readable.from([tar]), {
    t: 'minikubelet-test/bad-build:1',
    rm: true,
    forcerm: true,
  });
  await assert.rejects(drainProgress(docker, stream), /no-such-file/);
  await assert.rejects(
    docker.getImage('minikubelet-test/bad-build:1').inspect(),
    (e: { statusCode?: number }) => e.statusCode === 404,
  );
});
