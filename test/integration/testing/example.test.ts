// The README's example of the testing library: a manifest file with a ConfigMap, init
// containers, a native sidecar with a startup probe and an app with a readiness probe;
// env override, logs, exec, a forwarded port reached with fetch, copy, the session labels
// on every container, and `await using` removing it all at the end of the block.
//
// This file is left out of the boundary check (.dependency-cruiser.cjs): its parser does
// not know `await using` declarations yet. TypeScript compiles them for Node 20, whose
// Symbol.asyncDispose exists.
import { after, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { PodContainer, Wait, stopEmbeddedAgent, OWNER_LABEL } from '../../../src/index.js';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

const docker = new Dockerode();
const WEB_YAML = fileURLToPath(new URL('../../../../test/fixtures/podcontainer/web.yaml', import.meta.url));
const SESSION = 'org.testcontainers.session-id';
const containersOfPod = (uid: string) =>
  docker.listContainers({ all: true, filters: { label: [`io.kubernetes.pod.uid=${uid}`] } });

describe('PodContainer example', () => {
  after(async () => {
    await stopEmbeddedAgent();
  });

  test('a manifest file: init order, sidecar, probes, env override, logs, exec, mapped port, copy', async () => {
    let uid = '';
    {
      await using pod = await new PodContainer(WEB_YAML)
        .withEnvironment('app', { LOG_LEVEL: 'debug' })
        .withWaitStrategy(Wait.forPodReady())
        .start();
      uid = pod.pod.metadata.uid ?? '';
      assert.equal(pod.status?.phase, 'Running');
      assert.match(pod.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      // The kubelet's order: init-1, init-2, then the sidecar (started: its startup probe passed), then app.
      const log = await pod.logs('app');
      assert.equal(log, 'init-1\ninit-2\nsidecar\nLOG_LEVEL=debug GREETING=hello from the configmap\n');
      const sidecar = pod.status?.initContainerStatuses?.find((c) => c.name === 'sidecar');
      assert.equal(sidecar?.started, true);
      assert.ok(pod.status?.containerStatuses?.every((c) => c.ready));

      const r = await pod.exec('app', ['sh', '-c', 'cat /work/order; echo oops >&2; exit 3']);
      assert.deepEqual([r.exitCode, r.stdout, r.stderr], [3, 'init-1\ninit-2\nsidecar\n', 'oops\n']);

      const res = await fetch(`http://${pod.getHost()}:${pod.getMappedPort(8080)}/`);
      assert.equal(await res.text(), 'hello from the configmap\n');
      assert.throws(() => pod.getMappedPort(9999), /No port binding found for :9999/);

      const dir = mkdtempSync(join(tmpdir(), 'pc-copy-'));
      writeFileSync(join(dir, 'f.txt'), 'copied\n');
      await pod.copyFileToContainer(join(dir, 'f.txt'), '/tmp/f.txt', 'app');
      rmSync(dir, { recursive: true, force: true });
      assert.equal((await pod.exec('app', ['cat', '/tmp/f.txt'])).output, 'copied\n');

      // Every container the agent made for the pod carries testcontainers' session labels.
      const list = await containersOfPod(uid);
      assert.ok(list.length >= 5, `sandbox + 4 containers, got ${list.length}`);
      for (const c of list) {
        assert.equal(c.Labels['org.testcontainers'], 'true');
        assert.match(c.Labels[SESSION] ?? '', /^[0-9a-f-]{8,}$/);
        assert.equal(c.Labels[OWNER_LABEL], `${hostname()}/${process.pid}`);
      }
    }
    // `await using` disposed it: the pod and its containers are gone at once.
    assert.deepEqual(await containersOfPod(uid), []);
  });
});
