// Native sidecars on the real engine, in the kubelet 1.32's order: a sidecar's startup
// probe holds the next init container; on deletion the app container stops first, then
// the sidecars in reverse order (each container's SIGTERM trap writes a line with the
// host's uptime, shared by every container, to its stdout and to a host file); a
// Job-style pod completes when its app container does, whatever the sidecar's exit code.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startTestAgent, type TestAgent } from '../../harness/agent.js';
import { podHelpers } from '../../harness/pod-helpers.js';
import { podRow } from '../../../src/printers/pod-columns.js';

/** Docker's RFC 3339 times carry up to 9 fractional digits, trailing zeros trimmed. */
function nanos(t: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-].*)$/.exec(t);
  if (!m) throw new Error(`bad time ${t}`);
  return BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * Runs until SIGTERM; then waits `delay` s (so a wrong order would show), logs
 * "<name> <host uptime>" to stdout and /host/order, and exits with `code`.
 */
function onTermLog(name: string, delay: number, code = 0): string[] {
  const line = `${name} $(cut -d" " -f1 /proc/uptime)`;
  return [
    'sh',
    '-c',
    `trap 'sleep ${delay}; echo "${line}" >> /host/order; echo "${line}"; exit ${code}' TERM; while true; do sleep 1; done`,
  ];
}

describe('native sidecars', () => {
  let agent: TestAgent;
  const hostDir = mkdtempSync(join(tmpdir(), 'mkl-sidecar-'));
  chmodSync(hostDir, 0o777);
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
    rmSync(hostDir, { recursive: true, force: true });
  });

  const { create, until } = podHelpers(() => agent);
  const hostMount = { volumeMounts: [{ name: 'host', mountPath: '/host' }] };

  test('on delete: the app stops first, then the sidecars in reverse order (app < sidecar2 < sidecar1)', async () => {
    await create('ordered-stop', {
      volumes: [{ name: 'host', hostPath: { path: hostDir } }],
      initContainers: [
        // Without the ordering, the sidecars (shorter traps) would log before the app, and sidecar1 first.
        { name: 'sidecar1', image: BUSYBOX, restartPolicy: 'Always', command: onTermLog('sidecar1', 0), ...hostMount },
        { name: 'sidecar2', image: BUSYBOX, restartPolicy: 'Always', command: onTermLog('sidecar2', 1), ...hostMount },
      ],
      containers: [{ name: 'app', image: BUSYBOX, command: onTermLog('app', 2), ...hostMount }],
    });
    const running = await until(
      'all running and ready',
      'ordered-stop',
      (x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
    );
    const row = podRow(running, Date.now());
    assert.equal(row.ready, '3/3', 'READY counts the sidecars');
    assert.equal(row.status, 'Running');
    assert.deepEqual(
      running.status?.initContainerStatuses?.map((s) => [s.name, s.started, s.ready]),
      [
        ['sidecar1', true, true],
        ['sidecar2', true, true],
      ],
    );

    const gone = new Promise<void>((resolve) => {
      const stop = agent.kubelet.node.watchPods(({ type, object }) => {
        if (object.metadata.name === 'ordered-stop' && type === 'DELETED') {
          stop();
          resolve();
        }
      });
    });
    await agent.client.deletePod('default', 'ordered-stop');
    await gone;
    const lines = readFileSync(join(hostDir, 'order'), 'utf8').trim().split('\n');
    const parsed = lines.map((l) => {
      const [name, uptime] = l.split(' ');
      return { name, at: Number(uptime) };
    });
    assert.deepEqual(
      parsed.map((x) => x.name),
      ['app', 'sidecar2', 'sidecar1'],
      lines.join('\n'),
    );
    assert.ok(parsed[0]!.at < parsed[1]!.at && parsed[1]!.at < parsed[2]!.at, `timestamps rise: ${lines.join(' | ')}`);
    const killing = (await agent.client.listEvents('default'))
      .filter((e) => e.involvedObject.name === 'ordered-stop' && e.reason === 'Killing')
      .map((e) => e.message)
      .sort();
    assert.deepEqual(killing, ['Stopping container app', 'Stopping container sidecar1', 'Stopping container sidecar2']);
  });

  test('a Job-style pod (Never) with a sidecar is Succeeded when its app container succeeds; the sidecar is stopped and its exit code ignored', async () => {
    await create('job-sidecar', {
      restartPolicy: 'Never',
      volumes: [{ name: 'host', hostPath: { path: hostDir } }],
      initContainers: [
        { name: 'proxy', image: BUSYBOX, restartPolicy: 'Always', command: onTermLog('proxy', 0, 1), ...hostMount },
      ],
      containers: [{ name: 'job', image: BUSYBOX, command: ['sh', '-c', 'sleep 2; exit 0'] }],
    });
    const done = await until('Succeeded', 'job-sidecar', (x) => x.status?.phase === 'Succeeded');
    const proxy = done.status?.initContainerStatuses?.[0];
    const job = done.status?.containerStatuses?.[0];
    assert.equal(job?.state.terminated?.exitCode, 0);
    assert.equal(job?.state.terminated?.reason, 'Completed');
    assert.equal(proxy?.state.terminated?.exitCode, 1, 'the kubelet stopped the sidecar (its trap exits 1)');
    assert.equal(proxy?.restartCount, 0, 'not restarted once the app container was done');
    // finishedAt is whole seconds, as the API writes it, so both may fall in one second; the
    // order itself is proven by the exit code above (the sidecar exits only when signalled).
    assert.ok(
      nanos(proxy!.state.terminated!.finishedAt!) >= nanos(job!.state.terminated!.finishedAt!),
      'the sidecar stopped after the app container exited',
    );
    assert.equal(podRow(done, Date.now()).status, 'Completed');
    const events = (await agent.client.listEvents('default')).filter((e) => e.involvedObject.name === 'job-sidecar');
    assert.ok(events.some((e) => e.reason === 'Killing' && e.message === 'Stopping container proxy'));
  });

  test('under restartPolicy Never a sidecar that exits, or fails liveness, is restarted; the app container is left alone', async () => {
    const loop = "trap 'exit 0' TERM; while true; do sleep 1; done";
    await create('sidecar-restarts', {
      restartPolicy: 'Never',
      initContainers: [
        { name: 'crasher', image: BUSYBOX, restartPolicy: 'Always', command: ['sh', '-c', 'sleep 1; exit 3'] },
        {
          name: 'unhealthy',
          image: BUSYBOX,
          restartPolicy: 'Always',
          command: ['sh', '-c', loop],
          livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
      containers: [{ name: 'app', image: BUSYBOX, command: ['sh', '-c', loop] }],
    });
    const p = await until(
      'both sidecars restarted',
      'sidecar-restarts',
      // Both statuses present: `every` of an empty list (no status yet) is vacuously true.
      (x) =>
        x.status?.initContainerStatuses?.length === 2 &&
        x.status.initContainerStatuses.every((s) => s.restartCount >= 1),
      90_000,
    );
    const [crasher] = p.status!.initContainerStatuses!;
    assert.equal(crasher?.lastState?.terminated?.exitCode, 3);
    const app = p.status?.containerStatuses?.[0];
    assert.equal(app?.restartCount, 0);
    assert.ok(app?.state.running, 'the app container kept running');
    assert.equal(p.status?.phase, 'Running');
    const events = (await agent.client.listEvents('default')).filter(
      (e) => e.involvedObject.name === 'sidecar-restarts',
    );
    assert.ok(
      events.some((e) => e.reason === 'Killing' && e.message === 'Init container unhealthy failed liveness probe'),
      events.map((e) => `${e.reason}: ${e.message}`).join('\n'),
    );
    await agent.client.deletePod('default', 'sidecar-restarts', 0);
  });

  test("a sidecar's startup probe holds the next init container until it passes", async () => {
    await create('startup-gate', {
      initContainers: [
        {
          name: 'sc',
          image: BUSYBOX,
          restartPolicy: 'Always',
          command: ['sh', '-c', "trap 'exit 0' TERM; sleep 3; touch /tmp/ready; while true; do sleep 1; done"],
          startupProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 30 },
        },
        { name: 'init', image: BUSYBOX, command: ['true'] },
      ],
      containers: [
        { name: 'app', image: BUSYBOX, command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"] },
      ],
    });
    const early = await until('sidecar running, not started', 'startup-gate', (x) => {
      const sc = x.status?.initContainerStatuses?.[0];
      return sc?.state.running !== undefined && sc.started === false;
    });
    assert.equal(early.status?.phase, 'Pending');
    assert.equal(early.status?.initContainerStatuses?.[1]?.state.waiting?.reason, 'PodInitializing');
    assert.equal(podRow(early, Date.now()).status, 'Init:0/2');

    const p = await until(
      'app running',
      'startup-gate',
      (x) => x.status?.containerStatuses?.[0]?.state.running !== undefined,
    );
    const [sc, init] = p.status!.initContainerStatuses!;
    assert.equal(sc?.started, true);
    assert.equal(init?.state.terminated?.exitCode, 0);
    const scInfo = await agent.docker.getContainer(sc!.containerID!.replace('docker://', '')).inspect();
    const initInfo = await agent.docker.getContainer(init!.containerID!.replace('docker://', '')).inspect();
    const gapMs = Number(nanos(initInfo.State.StartedAt) - nanos(scInfo.State.StartedAt)) / 1e6;
    assert.ok(gapMs >= 3000, `init started ${gapMs} ms after the sidecar: it waited for the startup probe (3 s)`);
  });
});
