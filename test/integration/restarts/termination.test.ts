// Lifecycle hooks and graceful termination on the real engine: preStop before the
// stop signal (order proved through a host file), grace honoured, postStart failure.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startTestAgent, type TestAgent } from '../../harness/agent.js';
import { podHelpers } from '../../harness/pod-helpers.js';
import type { Pod } from '../../../src/apis/core/types.js';
import { podRow } from '../../../src/printers/pod-columns.js';

describe('hooks and termination', () => {
  let agent: TestAgent;
  const hostDir = mkdtempSync(join(tmpdir(), 'mkl-hooks-'));
  chmodSync(hostDir, 0o777);
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
    rmSync(hostDir, { recursive: true, force: true });
  });

  const { create, get, until } = podHelpers(() => agent);

  /** Collect the pod's watch events until it is gone; returns the last status seen. */
  function lastStatusBeforeGone(name: string): Promise<Pod> {
    return new Promise((resolve) => {
      let last: Pod | undefined;
      const stop = agent.kubelet.node.watchPods(({ type, object }) => {
        if (object.metadata.name !== name) return;
        if (type === 'DELETED') {
          stop();
          resolve(last ?? object);
        } else last = object;
      });
    });
  }

  test('preStop runs before the stop signal; then the container stops; Terminating meanwhile', async () => {
    await create('prestop', {
      volumes: [{ name: 'host', hostPath: { path: hostDir } }],
      containers: [
        {
          name: 'app',
          image: BUSYBOX,
          command: ['sh', '-c', "trap 'echo term >> /host/order; exit 0' TERM; while true; do sleep 1; done"],
          lifecycle: {
            preStop: {
              exec: { command: ['sh', '-c', 'echo prestop >> /host/order; sleep 1; echo prestop-done >> /host/order'] },
            },
          },
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        },
      ],
    });
    await until('running', 'prestop', (x) => x.status?.containerStatuses?.[0]?.state.running !== undefined);
    const final = lastStatusBeforeGone('prestop');
    await agent.client.deletePod('default', 'prestop');
    const terminating = await get('prestop');
    assert.equal(podRow(terminating, Date.now()).status, 'Terminating');
    const last = await final;
    assert.deepEqual(readFileSync(join(hostDir, 'order'), 'utf8').trim().split('\n'), [
      'prestop',
      'prestop-done',
      'term',
    ]);
    assert.equal(last.status?.phase, 'Succeeded', 'all containers exited 0 after SIGTERM');
    const events = await agent.client.listEvents('default');
    assert.ok(
      events.some(
        (e) => e.involvedObject.name === 'prestop' && e.reason === 'Killing' && e.message === 'Stopping container app',
      ),
    );
  });

  test('a container that ignores SIGTERM is killed after the grace period (exit 137, Failed)', async () => {
    await create('stubborn', {
      terminationGracePeriodSeconds: 3,
      containers: [{ name: 'app', image: BUSYBOX, command: ['sleep', '3600'] }],
    });
    await until('running', 'stubborn', (x) => x.status?.containerStatuses?.[0]?.state.running !== undefined);
    const final = lastStatusBeforeGone('stubborn');
    const asked = Date.now();
    await agent.client.deletePod('default', 'stubborn');
    const last = await final;
    assert.equal(last.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 137);
    assert.equal(last.status?.phase, 'Failed');
    const finished = Date.parse(last.status!.containerStatuses![0]!.state.terminated!.finishedAt!);
    // API times have second precision: a 3 s grace ends at least 2 s after the request.
    assert.ok(
      finished - asked >= 2000,
      `lived on for the grace period (finished ${finished - asked} ms after the delete)`,
    );
  });

  test('a trap-handling container stops at the signal, not at the grace period', async () => {
    await create('polite', {
      terminationGracePeriodSeconds: 30,
      containers: [
        { name: 'app', image: BUSYBOX, command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"] },
      ],
    });
    await until('running', 'polite', (x) => x.status?.containerStatuses?.[0]?.state.running !== undefined);
    const final = lastStatusBeforeGone('polite');
    await agent.client.deletePod('default', 'polite');
    const last = await final;
    assert.equal(
      last.status?.containerStatuses?.[0]?.state.terminated?.exitCode,
      0,
      'exited through its trap, not SIGKILL',
    );
  });

  test("delete with grace 0 still gives the 2 s minimum; a per-request grace overrides the pod's", async () => {
    await create('quick', {
      terminationGracePeriodSeconds: 60,
      containers: [{ name: 'app', image: BUSYBOX, command: ['sleep', '3600'] }],
    });
    await until('running', 'quick', (x) => x.status?.containerStatuses?.[0]?.state.running !== undefined);
    const final = lastStatusBeforeGone('quick');
    const deleting = await agent.client.deletePod('default', 'quick', 0);
    assert.equal(deleting.metadata.deletionGracePeriodSeconds, 0);
    const last = await final;
    assert.equal(last.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 137);
  });

  test('a failing postStart kills the container: FailedPostStartHook, then a restart', async () => {
    await create('poststart', {
      containers: [
        {
          name: 'app',
          image: BUSYBOX,
          command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"],
          lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo nope; exit 7'] } } },
        },
      ],
    });
    const p = await until('restarted', 'poststart', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
    const events = await agent.client.listEvents('default', `involvedObject.uid=${p.metadata.uid}`);
    const failed = events.find((e) => e.reason === 'FailedPostStartHook');
    assert.ok(failed, 'FailedPostStartHook event');
    assert.match(
      failed.message,
      /^Exec lifecycle hook \(\[sh -c echo nope; exit 7\]\) for Container "app" in Pod "poststart_default\(.*\)" failed - error: command 'sh -c echo nope; exit 7' exited with 7: , message: "nope\\n"$/,
    );
    assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'FailedPostStartHook'));
  });

  test('a successful postStart runs before the container is reported running', async () => {
    await create('poststart-ok', {
      volumes: [{ name: 'host', hostPath: { path: hostDir } }],
      containers: [
        {
          name: 'app',
          image: BUSYBOX,
          command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"],
          lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 1; echo hooked > /host/poststart'] } } },
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        },
      ],
    });
    await until('running', 'poststart-ok', (x) => x.status?.containerStatuses?.[0]?.state.running !== undefined);
    assert.equal(
      readFileSync(join(hostDir, 'poststart'), 'utf8').trim(),
      'hooked',
      'the hook had finished when Running was published',
    );
  });
});
