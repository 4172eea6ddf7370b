// Restart policies, crash-loop back-off and container state fidelity on the real
// engine (back-off shortened through options: base 1 s, cap 4 s).
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { podHelpers } from '../../harness/pod-helpers.js';
import type { Container, Pod } from '../../../src/apis/core/types.js';
import { podRow } from '../../../src/printers/pod-columns.js';
import { LABEL } from '../../../src/runtime/labels.js';
import { watchEngineOoms } from '../../harness/engine-oom.js';

const loop = 'trap "exit 0" TERM; while true; do sleep 1; done';

describe('restarts', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const { create, get, until } = podHelpers(() => agent);
  const app = (over: Partial<Container>): Container => ({ name: 'app', image: BUSYBOX, ...over });
  const cs = (p: Pod) => p.status!.containerStatuses![0]!;

  for (const [policy, code, restarts] of [
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 0, false],
    ['OnFailure', 1, true],
    ['Never', 0, false],
    ['Never', 1, false],
  ] as const) {
    test(`restartPolicy ${policy}, exit ${code}: ${restarts ? 'restarted' : 'not restarted'}`, async () => {
      const name = `rp-${policy.toLowerCase()}-${code}`;
      await create(name, {
        restartPolicy: policy,
        containers: [app({ command: ['sh', '-c', `echo run; exit ${code}`] })],
      });
      if (restarts) {
        // Wait for the status that shows the previous instance too: once, under heavy load, a
        // status with restartCount 2 and no lastState was published (cause not found; noted).
        const p = await until(
          'restarted twice, the previous exit in lastState',
          name,
          (x) => cs(x).restartCount >= 2 && cs(x).lastState.terminated !== undefined,
        );
        assert.equal(p.status!.phase, 'Running');
        assert.equal(cs(p).lastState.terminated?.exitCode, code);
        assert.equal(cs(p).lastState.terminated?.reason, code === 0 ? 'Completed' : 'Error');
      } else {
        const want = code === 0 ? 'Succeeded' : 'Failed';
        const p = await until(want, name, (x) => x.status?.phase === want);
        assert.equal(cs(p).restartCount, 0);
        assert.equal(cs(p).state.terminated?.exitCode, code);
        assert.equal(podRow(p, Date.now()).status, code === 0 ? 'Completed' : 'Error');
      }
    });
  }

  test("CrashLoopBackOff: growing delays, restartCount, the kubelet's message and BackOff events", async () => {
    // Every published status reaches a watcher, so no short back-off window is missed.
    const seen = new Set<string>();
    const stop = agent.kubelet.node.watchPods(({ object }) => {
      const w = object.metadata.name === 'crashy' ? object.status?.containerStatuses?.[0]?.state.waiting : undefined;
      if (w?.reason === 'CrashLoopBackOff') seen.add(w.message ?? '');
    });
    await create('crashy', { containers: [app({ command: ['sh', '-c', 'exit 2'] })] });
    const p = await until('restartCount 4', 'crashy', (x) => cs(x).restartCount >= 4, 90_000);
    stop();
    const uid = p.metadata.uid!;
    for (const d of ['1s', '2s', '4s']) {
      assert.ok(
        seen.has(`back-off ${d} restarting failed container=app pod=crashy_default(${uid})`),
        `saw back-off ${d}: ${[...seen].join(' | ')}`,
      );
    }
    // The engine's own timestamps: each wait (finish → next start) is at least the back-off then.
    const ids = (await agent.containers(`io.kubernetes.pod.uid=${uid}`)).filter(
      (c) => c.Labels['io.kubernetes.docker.type'] === 'container',
    );
    assert.ok(ids.length <= 2, 'only the current and the previous instance are kept');
    const events = await agent.client.listEvents('default', `involvedObject.uid=${uid}`);
    const backoff = events.find((e) => e.reason === 'BackOff' && e.type === 'Warning');
    assert.ok(backoff, 'Warning BackOff event');
    assert.equal(backoff.message, `Back-off restarting failed container app in pod crashy_default(${uid})`);
    assert.equal(backoff.involvedObject.fieldPath, 'spec.containers{app}');
    assert.ok((events.find((e) => e.reason === 'Started')?.count ?? 0) >= 4, 'Started events aggregated into count');
    const row = podRow(
      await until('CrashLoopBackOff shown', 'crashy', (x) => cs(x).state.waiting?.reason === 'CrashLoopBackOff'),
      Date.now(),
    );
    assert.equal(row.status, 'CrashLoopBackOff');
    assert.match(row.restarts, /^\d+ \(\d+s ago\)$/);
  });

  test('a failed init container under Always is re-run with back-off; the pod stays Pending', async () => {
    await create('init-retry', {
      initContainers: [
        { name: 'init', image: BUSYBOX, command: ['sh', '-c', 'exit 1'] },
        { name: 'init2', image: BUSYBOX, command: ['true'] },
      ],
      containers: [app({ command: ['sh', '-c', loop] })],
    });
    const p = await until(
      'init restarted twice',
      'init-retry',
      (x) => (x.status?.initContainerStatuses?.[0]?.restartCount ?? 0) >= 2,
    );
    assert.equal(p.status!.phase, 'Pending');
    assert.equal(p.status!.initContainerStatuses![1]!.state.waiting?.reason, 'PodInitializing');
    assert.equal(cs(p).state.waiting?.reason, 'PodInitializing');
    assert.equal(
      p.status!.conditions!.find((c) => c.type === 'Initialized')!.message,
      'containers with incomplete status: [init init2]',
    );
    assert.match(podRow(p, Date.now()).status, /^Init:(Error|CrashLoopBackOff)$/);
  });

  test('OOMKilled: a memory hog over limits.memory', async () => {
    // The engine can lose an OOM kill (engine-oom.ts): such a run is retried; whenever the
    // engine told, by its flag or by an `oom` event after the exit, the reason must say so.
    const ooms = await watchEngineOoms(agent.docker, `${LABEL.agent}=${agent.agentId}`);
    try {
      for (let attempt = 1; ; attempt++) {
        const name = `oom-${attempt}`;
        await create(name, {
          restartPolicy: 'Never',
          containers: [
            app({
              command: ['sh', '-c', 'x=a; while true; do x=$x$x; done'],
              resources: { limits: { memory: '10Mi' } },
            }),
          ],
        });
        const p = await until('Failed', name, (x) => x.status?.phase === 'Failed', 60_000);
        assert.equal(cs(p).state.terminated?.exitCode, 137);
        const reported = await waitFor(
          'OOMKilled reason',
          async () => cs(await get(name)).state.terminated?.reason === 'OOMKilled',
          10_000,
        ).then(
          () => true,
          () => false,
        );
        if (reported) return;
        const id = cs(p).containerID!.replace('docker://', '');
        assert.equal(await ooms.told(id), false, 'the engine reported the OOM kill; the status does not say OOMKilled');
        assert.ok(attempt < 3, 'the engine lost the OOM kill in 3 runs out of 3');
      }
    } finally {
      ooms.stop();
    }
  });

  test('a command that does not exist: ContainerCannotRun, then RunContainerError/CrashLoopBackOff', async () => {
    await create('nocmd-never', { restartPolicy: 'Never', containers: [app({ command: ['/no/such/binary'] })] });
    const never = await until('Failed', 'nocmd-never', (x) => x.status?.phase === 'Failed');
    assert.equal(cs(never).state.terminated?.reason, 'ContainerCannotRun');
    assert.equal(cs(never).state.terminated?.exitCode, 127);
    assert.match(cs(never).state.terminated?.message ?? '', /no such file or directory/);

    await create('nocmd', { containers: [app({ command: ['/no/such/binary'] })] });
    const p = await until('restarted', 'nocmd', (x) => cs(x).restartCount >= 1 && cs(x).state.waiting !== undefined);
    assert.match(cs(p).state.waiting!.reason!, /^(RunContainerError|CrashLoopBackOff)$/);
    assert.equal(cs(p).lastState.terminated?.reason, 'ContainerCannotRun');
  });

  test('docker kill of an app container is an exit: restarted per policy', async () => {
    await create('killed', { containers: [app({ command: ['sh', '-c', loop] })] });
    const p = await until('running', 'killed', (x) => cs(x).state.running !== undefined);
    await agent.docker.getContainer(cs(p).containerID!.replace('docker://', '')).kill();
    const q = await until('restarted', 'killed', (x) => cs(x).restartCount === 1 && cs(x).state.running !== undefined);
    assert.equal(cs(q).lastState.terminated?.exitCode, 137);
    assert.notEqual(cs(q).containerID, cs(p).containerID);
  });

  test('docker rm -f of an app container: a new instance is started', async () => {
    await create('removed', { containers: [app({ command: ['sh', '-c', loop] })] });
    const p = await until('running', 'removed', (x) => cs(x).state.running !== undefined);
    await agent.docker.getContainer(cs(p).containerID!.replace('docker://', '')).remove({ force: true });
    const q = await until(
      'a new running instance',
      'removed',
      (x) => cs(x).state.running !== undefined && cs(x).containerID !== cs(p).containerID,
    );
    assert.equal(q.status!.phase, 'Running');
  });

  test('docker rm -f of the pause container: SandboxChanged, new sandbox attempt, init containers re-run', async () => {
    await create('sandboxed', {
      initContainers: [{ name: 'init', image: BUSYBOX, command: ['true'] }],
      containers: [app({ command: ['sh', '-c', loop] })],
    });
    const p = await until('running', 'sandboxed', (x) => cs(x).state.running !== undefined);
    const uid = p.metadata.uid!;
    const [sb] = await agent
      .containers(`io.kubernetes.pod.uid=${uid}`)
      .then((l) => l.filter((c) => c.Labels['io.kubernetes.docker.type'] === 'podsandbox'));
    assert.ok(sb);
    await agent.docker.getContainer(sb.Id).remove({ force: true });
    const q = await until(
      'running in a new sandbox',
      'sandboxed',
      (x) => cs(x).restartCount >= 1 && cs(x).state.running !== undefined,
    );
    const sandboxes = (await agent.containers(`io.kubernetes.pod.uid=${uid}`)).filter(
      (c) => c.Labels['io.kubernetes.docker.type'] === 'podsandbox',
    );
    assert.equal(sandboxes.length, 1);
    assert.match(sandboxes[0]!.Names[0]!, /_1$/, 'attempt 1');
    assert.notEqual(q.status!.podIP, undefined);
    const initRuns = (await agent.containers(`io.kubernetes.pod.uid=${uid}`)).filter(
      (c) => c.Labels['io.kubernetes.container.name'] === 'init',
    );
    assert.ok(
      initRuns.some((c) => c.Labels['io.kubernetes.sandbox.id'] === sandboxes[0]!.Id),
      'init container ran again in the new sandbox',
    );
    const events = await agent.client.listEvents('default', `involvedObject.uid=${uid}`);
    assert.ok(
      events.some(
        (e) => e.reason === 'SandboxChanged' && e.message === 'Pod sandbox changed, it will be killed and re-created.',
      ),
    );
  });

  test('logs --previous shows the previous instance', async () => {
    await create('prev', {
      containers: [app({ command: ['sh', '-c', 'echo instance-$RANDOM-$RANDOM; sleep 1; exit 1'] })],
    });
    await until('restarted', 'prev', (x) => cs(x).restartCount >= 1);
    const text = async (previous: boolean) => {
      let s = '';
      for await (const c of await agent.client.podLogs('default', 'prev', { previous })) s += c.toString();
      return s;
    };
    const prev = await text(true);
    assert.match(prev, /^instance-/);
    await waitFor(
      'current differs from previous',
      async () => {
        const cur = await text(false);
        return cur.startsWith('instance-') && cur !== prev;
      },
      20_000,
    );
  });

  test('termination messages: the file, and FallbackToLogsOnError', async () => {
    await create('msg', {
      restartPolicy: 'Never',
      containers: [
        app({ name: 'file', command: ['sh', '-c', 'echo -n "bye from file" > /dev/termination-log; exit 1'] }),
        app({
          name: 'fallback',
          command: ['sh', '-c', 'echo last words; exit 3'],
          terminationMessagePolicy: 'FallbackToLogsOnError',
        }),
        app({
          name: 'custom',
          command: ['sh', '-c', 'echo -n custom > /tmp/msg; exit 0'],
          terminationMessagePath: '/tmp/msg',
        }),
      ],
    });
    const p = await until('Failed', 'msg', (x) => x.status?.phase === 'Failed');
    const by = (n: string) => p.status!.containerStatuses!.find((c) => c.name === n)!.state.terminated!;
    assert.equal(by('file').message, 'bye from file');
    assert.equal(by('fallback').message, 'last words\n');
    assert.equal(by('custom').message, 'custom');
  });

  test('activeDeadlineSeconds fails the pod with DeadlineExceeded', async () => {
    await create('deadline', { activeDeadlineSeconds: 2, containers: [app({ command: ['sh', '-c', loop] })] });
    const p = await until('Failed', 'deadline', (x) => x.status?.phase === 'Failed');
    assert.equal(p.status!.reason, 'DeadlineExceeded');
    assert.equal(p.status!.message, 'Pod was active on the node longer than the specified deadline');
    // kubectl starts from status.reason, then a terminated container's reason wins (here
    // Completed: the container traps SIGTERM and exits 0), exactly as printPod does.
    assert.equal(podRow(p, Date.now()).status, 'Completed');
    const events = await agent.client.listEvents('default', `involvedObject.uid=${p.metadata.uid}`);
    assert.ok(events.some((e) => e.reason === 'DeadlineExceeded'));
  });
});
