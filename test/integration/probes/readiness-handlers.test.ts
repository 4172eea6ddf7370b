// Readiness and the three handlers on the real engine: initialDelay, a probe that
// never passes, httpGet against busybox httpd, tcpSocket, and exec timeouts.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { podRow } from '../../../src/printers/pod-columns.js';
import { app, cond, cs, probeHelpers } from './helpers.js';

const HTTPD = 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www';

describe('readiness probes and handlers', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });
  const h = probeHelpers(() => agent);
  const ready = (name: string) => h.until('Ready', name, (p) => cond(p, 'Ready')?.status === 'True');

  test('initialDelaySeconds: never Ready before the delay, counted from the container start', async () => {
    const rec = h.record('delayed');
    await h.create('delayed', {
      containers: [app({ readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 4, periodSeconds: 1 } })],
    });
    const p = await ready('delayed');
    rec.stop();
    const startedAt = Date.parse(cs(p).state.running!.startedAt!);
    const readyAt = Date.parse(cond(p, 'Ready')!.lastTransitionTime!);
    assert.ok(readyAt - startedAt >= 4000, `ready ${readyAt - startedAt} ms after start`);
    // Every status published while running before the delay says not ready.
    for (const x of rec.seen) {
      const run = x.status?.containerStatuses?.[0]?.state.running;
      if (run && cs(x).ready)
        assert.ok(Date.parse(cond(x, 'Ready')!.lastTransitionTime!) - Date.parse(run.startedAt!) >= 4000);
    }
    assert.ok(
      rec.seen.some((x) => x.status?.containerStatuses?.[0]?.state.running && !cs(x).ready),
      'a running, not-ready status was published',
    );
  });

  test('a readiness probe that never passes: Running, 0/1, Ready=False the whole time', async () => {
    const rec = h.record('never-ready');
    await h.create('never-ready', {
      containers: [
        app({ readinessProbe: { exec: { command: ['sh', '-c', 'echo not yet; exit 1'] }, periodSeconds: 1 } }),
      ],
    });
    await h.until('running', 'never-ready', (p) => cs(p).state.running !== undefined);
    // Past the failure threshold (3): the probe's verdict has been applied for a while.
    await h.untilCounted('never-ready', 'Unhealthy', 4);
    rec.stop();
    const p = await h.get('never-ready');
    assert.equal(p.status!.phase, 'Running');
    assert.equal(podRow(p, Date.now()).ready, '0/1');
    assert.equal(cond(p, 'Ready')?.reason, 'ContainersNotReady');
    assert.equal(cond(p, 'ContainersReady')?.message, 'containers with unready status: [app]');
    assert.ok(rec.seen.length > 0);
    for (const x of rec.seen) {
      assert.notEqual(cond(x, 'Ready')?.status, 'True');
      assert.equal(x.status?.containerStatuses?.[0]?.ready ?? false, false);
    }
    assert.equal(cs(p).restartCount, 0, 'readiness never restarts anything');
    const unhealthy = await h.events('never-ready');
    const ev = unhealthy.find((e) => e.reason === 'Unhealthy')!;
    assert.equal(ev.message, 'Readiness probe failed: not yet\n');
    assert.ok(ev.count >= 2, 'every failing run is reported');
  });

  test('httpGet against busybox httpd: 200 → Ready (named port); 404 → not ready', async () => {
    const web = (path: string) => ({
      containers: [
        app({
          command: ['sh', '-c', HTTPD],
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path, port: 'http' }, periodSeconds: 1 },
        }),
      ],
    });
    await h.create('web-ok', web('/index.html'));
    await h.create('web-404', web('/missing.html'));
    const ok = await ready('web-ok');
    assert.equal(cs(ok).ready, true);
    await h.until('running', 'web-404', (p) => cs(p).state.running !== undefined);
    await h.untilCounted('web-404', 'Unhealthy', 3);
    const missing = await h.get('web-404');
    assert.equal(cs(missing).ready, false);
    assert.ok(
      (await h.messages('web-404', 'Unhealthy')).includes(
        'Readiness probe failed: HTTP probe failed with statuscode: 404',
      ),
    );
  });

  test('tcpSocket: an open port is ready, a closed one is not (with the dial error)', async () => {
    await h.create('tcp', {
      containers: [
        app({
          name: 'open',
          command: ['sh', '-c', HTTPD],
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
        }),
        app({ name: 'closed', readinessProbe: { tcpSocket: { port: 9090 }, periodSeconds: 1 } }),
      ],
    });
    const p = await h.until(
      'open ready',
      'tcp',
      (x) => x.status?.containerStatuses?.find((c) => c.name === 'open')?.ready === true,
    );
    await h.untilCounted('tcp', 'Unhealthy', 3);
    const now = await h.get('tcp');
    const closed = now.status!.containerStatuses!.find((c) => c.name === 'closed')!;
    assert.equal(closed.ready, false);
    assert.equal(podRow(now, Date.now()).ready, '1/2');
    const ip = p.status!.podIP!;
    assert.ok(
      (await h.messages('tcp', 'Unhealthy')).includes(
        `Readiness probe failed: dial tcp ${ip}:9090: connect: connection refused`,
      ),
    );
  });

  test('an exec probe that outlives timeoutSeconds counts as a failure', async () => {
    await h.create('slow-exec', {
      containers: [app({ readinessProbe: { exec: { command: ['sleep', '5'] }, timeoutSeconds: 1, periodSeconds: 2 } })],
    });
    const msgs = await waitFor('the timeout reported', async () => {
      const m = await h.messages('slow-exec', 'Unhealthy');
      return m.length ? m : undefined;
    });
    assert.deepEqual(msgs, ['Readiness probe failed: command "sleep 5" timed out']);
    assert.equal(cs(await h.get('slow-exec')).ready, false);
  });
});
