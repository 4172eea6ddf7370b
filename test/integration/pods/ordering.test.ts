// Init containers one after another, each to completion; then app containers created
// and started concurrently. Order and overlap are proved from the engine's own
// timestamps and event stream, not from sleeps.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';

/** Docker's RFC 3339 times carry up to 9 fractional digits, trailing zeros trimmed. */
function nanos(t: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-].*)$/.exec(t);
  if (!m) throw new Error(`bad time ${t}`);
  return BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

interface EngineEvent {
  Action: string;
  Actor: { Attributes: Record<string, string> };
  timeNano: number;
}

describe('init and app container ordering', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  test('init containers run strictly in order, each to exit 0, before any app container', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'ordered' },
      spec: {
        initContainers: [
          { name: 'init-1', image: BUSYBOX, command: ['sh', '-c', 'sleep 1'] },
          { name: 'init-2', image: BUSYBOX, command: ['sh', '-c', 'sleep 1'] },
          { name: 'init-3', image: BUSYBOX, command: ['true'] },
        ],
        containers: [
          { name: 'app', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
        ],
      },
    });
    // While initializing, the pod is Pending and the app waits with PodInitializing.
    const early = await waitFor('init-1 running', async () => {
      const p = await agent.client.getPod('default', 'ordered');
      return p.status?.initContainerStatuses?.[0]?.state.running ? p : undefined;
    });
    assert.equal(early.status?.phase, 'Pending');
    assert.equal(early.status?.containerStatuses?.[0]?.state.waiting?.reason, 'PodInitializing');
    assert.equal(early.status?.initContainerStatuses?.[1]?.state.waiting?.reason, 'PodInitializing');

    const p = await waitFor('app running', async () => {
      const x = await agent.client.getPod('default', 'ordered');
      return x.status?.containerStatuses?.[0]?.state.running ? x : undefined;
    });
    const init = p.status!.initContainerStatuses!;
    assert.deepEqual(
      init.map((s) => s.name),
      ['init-1', 'init-2', 'init-3'],
    );
    for (const s of init) {
      assert.equal(s.state.terminated?.exitCode, 0, `${s.name} exited 0`);
      assert.equal(s.state.terminated?.reason, 'Completed');
      assert.equal(s.ready, true);
    }
    // Engine timestamps (ns precision): each starts after the previous finished.
    const times = await Promise.all(
      init.map(async (s) => {
        const info = await agent.docker.getContainer(s.containerID!.replace('docker://', '')).inspect();
        return { startNs: nanos(info.State.StartedAt), endNs: nanos(info.State.FinishedAt) };
      }),
    );
    for (let i = 1; i < times.length; i++) {
      assert.ok(
        times[i]!.startNs > times[i - 1]!.endNs,
        `init-${i + 1} started (${times[i]!.startNs}) after init-${i} finished (${times[i - 1]!.endNs})`,
      );
    }
    const appInfo = await agent.docker
      .getContainer(p.status!.containerStatuses![0]!.containerID!.replace('docker://', ''))
      .inspect();
    assert.ok(nanos(appInfo.State.StartedAt) > times[2]!.endNs, 'app started after the last init container finished');
    assert.equal(p.status?.phase, 'Running');
    assert.equal(p.status?.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
  });

  test('app containers are created and started concurrently', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'parallel' },
      spec: {
        containers: ['a', 'b', 'c'].map((n) => ({
          name: n,
          image: BUSYBOX,
          command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
        })),
      },
    });
    const p = await waitFor('all three running', async () => {
      const x = await agent.client.getPod('default', 'parallel');
      return x.status?.containerStatuses?.every((c) => c.state.running) ? x : undefined;
    });
    const uid = p.metadata.uid!;
    const stream = await agent.docker.getEvents({
      since,
      until: Math.floor(Date.now() / 1000) + 1,
      filters: {
        type: ['container'],
        label: [`io.kubernetes.pod.uid=${uid}`, 'io.kubernetes.docker.type=container'],
        event: ['create', 'start'],
      },
    });
    const text = await new Promise<string>((resolve) => {
      let s = '';
      stream.on('data', (d: Buffer) => {
        s += d.toString();
      });
      stream.on('end', () => resolve(s));
    });
    const events = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EngineEvent);
    const creates = events.filter((e) => e.Action === 'create').map((e) => e.timeNano);
    const starts = events.filter((e) => e.Action === 'start').map((e) => e.timeNano);
    assert.equal(creates.length, 3);
    assert.equal(starts.length, 3);
    // Sequential create→start→create→start would put a start before the last create.
    assert.ok(
      Math.max(...creates) < Math.min(...starts),
      'every app container was created before the first one finished starting',
    );
  });
});
