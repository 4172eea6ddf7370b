import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Prober } from '../../../src/prober/prober.js';
import { probeCommand } from '../../../src/prober/probers/exec.js';
import type { ExecResult } from '../../../src/runtime/runtime.js';
import type { Container, Probe } from '../../../src/apis/core/types.js';
import { pod } from '../../fixtures/pods.js';
import { RecordingEvents } from './helpers.js';

function target(
  probes: Partial<Pick<Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe'>>,
  env: Container['env'] = [],
) {
  const p = pod();
  const container: Container = { ...p.spec.containers[0]!, ...probes, env };
  p.spec.containers[0] = container;
  return { pod: p, container, containerId: 'c1', podIP: '127.0.0.1' };
}

function prober(results: (ExecResult | Error)[]) {
  const events = new RecordingEvents();
  const calls: { cmd: string[]; timeoutMs: number }[] = [];
  const p = new Prober({
    events,
    exec: async (_id, cmd, timeoutMs) => {
      calls.push({ cmd, timeoutMs });
      const r = results.shift() ?? { exitCode: 0, output: '', timedOut: false };
      if (r instanceof Error) throw r;
      return r;
    },
  });
  return { p, events, calls };
}

const execProbe = (command: string[], extra: Partial<Probe> = {}): Probe => ({
  exec: { command },
  timeoutSeconds: 1,
  ...extra,
});

describe('Prober', () => {
  test('exec exit 0 → success, no event; the timeout goes to the runtime', async () => {
    const { p, events, calls } = prober([{ exitCode: 0, output: 'ok', timedOut: false }]);
    assert.equal(
      await p.probe('liveness', target({ livenessProbe: execProbe(['true'], { timeoutSeconds: 4 }) })),
      'success',
    );
    assert.deepEqual(events.events, []);
    assert.equal(calls[0]!.timeoutMs, 4000);
  });

  test('each failing run → Warning Unhealthy "<Type> probe failed: <output>" on the container', async () => {
    const { p, events } = prober([
      { exitCode: 1, output: "cat: can't open '/tmp/health': No such file or directory\n", timedOut: false },
    ]);
    assert.equal(await p.probe('liveness', target({ livenessProbe: execProbe(['cat', '/tmp/health']) })), 'failure');
    assert.deepEqual(events.events, [
      {
        type: 'Warning',
        reason: 'Unhealthy',
        fieldPath: 'spec.containers{app}',
        message: "Liveness probe failed: cat: can't open '/tmp/health': No such file or directory\n",
      },
    ]);
  });

  test('an exec timeout is a failure', async () => {
    const { p, events } = prober([{ exitCode: -1, output: '', timedOut: true }]);
    assert.equal(await p.probe('readiness', target({ readinessProbe: execProbe(['sleep', '5']) })), 'failure');
    assert.equal(events.events[0]!.message, 'Readiness probe failed: command "sleep 5" timed out');
  });

  test('errors are retried up to 3 times, then discarded with an "errored" event', async () => {
    const { p, events, calls } = prober([
      new Error('container not running'),
      new Error('container not running'),
      new Error('container not running'),
    ]);
    assert.equal(await p.probe('startup', target({ startupProbe: execProbe(['true']) })), undefined);
    assert.equal(calls.length, 3);
    assert.deepEqual(
      events.events.map((e) => [e.reason, e.message]),
      [['Unhealthy', 'Startup probe errored and resulted in unknown state: container not running']],
    );
  });

  test('an error followed by a success counts as the success', async () => {
    const { p, events, calls } = prober([new Error('flaky'), { exitCode: 0, output: '', timedOut: false }]);
    assert.equal(await p.probe('liveness', target({ livenessProbe: execProbe(['true']) })), 'success');
    assert.equal(calls.length, 2);
    assert.deepEqual(events.events, []);
  });

  test('exec commands expand $(VAR) against literal env values only', () => {
    const c: Container = {
      name: 'app',
      image: 'x',
      env: [
        { name: 'F', value: '/tmp/x' },
        { name: 'FROM', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'F2', value: '$(F)' },
      ],
    };
    assert.deepEqual(probeCommand({ command: ['cat', '$(F)', '$(FROM)', '$(F2)', '$(NOPE)', '$$(F)'] }, c), [
      'cat',
      '/tmp/x',
      '',
      '$(F)',
      '$(NOPE)',
      '$(F)',
    ]);
  });

  test('a grpc probe that cannot connect is a failure with an Unhealthy event, not an error', async () => {
    const { p, events } = prober([]);
    const { createServer } = await import('node:net');
    const tcp = createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const port = (tcp.address() as { port: number }).port;
    await new Promise<void>((r) => tcp.close(() => r()));
    const spec: Probe = { grpc: { port }, timeoutSeconds: 1 };
    assert.equal(await p.probe('liveness', target({ livenessProbe: spec })), 'failure');
    assert.equal(events.events.length, 1);
    assert.equal(events.events[0]!.reason, 'Unhealthy');
    assert.equal(
      events.events[0]!.message,
      `Liveness probe failed: timeout: failed to connect service "127.0.0.1:${port}" within 1s: context deadline exceeded`,
    );
  });

  test('a redirect off the host → success plus a ProbeWarning event', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) =>
      res.writeHead(301, { location: 'http://elsewhere.invalid/' }).end('bye'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const { p, events } = prober([]);
    try {
      assert.equal(
        await p.probe('readiness', target({ readinessProbe: { httpGet: { port, path: '/' }, timeoutSeconds: 1 } })),
        'success',
      );
      assert.deepEqual(
        events.events.map((e) => [e.type, e.reason, e.message]),
        [['Warning', 'ProbeWarning', 'Readiness probe warning: Probe terminated redirects, Response body: bye']],
      );
    } finally {
      server.close();
    }
  });
});
