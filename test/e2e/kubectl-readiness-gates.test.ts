// Readiness gates through the real kubectl 1.32: a pod with a gate runs but is not Ready
// (ReadinessGatesNotReady with the kubelet's messages, `-o wide` READINESS GATES 0/1);
// `kubectl patch --subresource=status` (merge, then strategic) sets the gate's condition,
// a watching kubectl sees the pod turn 1/1 and Ready, describe lists the gate, a bad
// condition type is refused with the API server's field error, and the condition
// survives an agent restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../src/apis/core/types.js';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor, NO_KUBECTL, spawnKubectl } from '../harness/kubectl.js';
import { after, before, describe, test } from '../harness/node-test.js';

const GATE = 'example.com/lb-ready';
const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: gated
spec:
  terminationGracePeriodSeconds: 1
  readinessGates:
  - conditionType: ${GATE}
  containers:
  - name: app
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

describe('kubectl: readiness gates and pods/status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-gates-'));
  const rootDir = join(dir, 'root');
  let agent: TestAgent;
  let kubectl: Kubectl | undefined;

  before(async () => {
    agent = await startTestAgent({ rootDir });
    kubectl = kubectlFor(agent);
  });
  after(async () => {
    await agent?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[]) => {
    const r = await kubectl!(args);
    return { status: r.status ?? 1, out: r.stdout, err: r.stderr };
  };
  const ok = async (args: string[]) => {
    const r = await run(args);
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.err}`);
    return r.out;
  };
  const ready = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready');
  const untilReady = (what: string, pred: (c: NonNullable<ReturnType<typeof ready>>) => boolean) =>
    waitFor(`gated: ${what}`, async () => {
      const p = await agent.client.getPod('default', 'gated');
      const c = ready(p);
      return c && p.status?.containerStatuses?.[0]?.state.running && pred(c) ? p : undefined;
    });
  const wideRow = async () => (await ok(['get', 'pod', 'gated', '-o', 'wide'])).split('\n')[1]!;

  test('not Ready until the gate condition is True; kubectl patch --subresource=status sets it', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const file = join(dir, 'gated.yaml');
    writeFileSync(file, MANIFEST);
    assert.equal((await ok(['apply', '-f', file])).trim(), 'pod/gated created');

    const missing = await untilReady('gate missing', (c) => c.reason === 'ReadinessGatesNotReady');
    assert.equal(ready(missing)!.message, `corresponding condition of pod readiness gate "${GATE}" does not exist.`);
    assert.equal(ready(missing)!.status, 'False');
    // READY counts containers only; the gate is its own column.
    assert.match(await wideRow(), /^gated\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+test-node\s+<none>\s+0\/1\s*$/);

    const merge = await ok([
      'patch',
      'pod',
      'gated',
      '--subresource=status',
      '--type=merge',
      '-p',
      `{"status":{"conditions":[{"type":"${GATE}","status":"False"}]}}`,
    ]);
    assert.equal(merge.trim(), 'pod/gated patched');
    const falseGate = await untilReady('gate False', (c) => /but False$/.test(c.message ?? ''));
    assert.equal(ready(falseGate)!.message, `the status of pod readiness gate "${GATE}" is not "True", but False`);
    // The kubelet's own conditions are still all there next to the client's.
    assert.deepEqual(
      falseGate.status!.conditions!.map((c) => c.type).sort(),
      [GATE, 'ContainersReady', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled', 'Ready'].sort(),
    );

    const watch = spawnKubectl(kubectl, agent, ['get', 'pod', 'gated', '--watch', '-o', 'wide']);
    try {
      await watch.waitForOutput(/gated\s.*\s0\/1\s*\n/);
      const strategic = await ok([
        'patch',
        'pod',
        'gated',
        '--subresource=status',
        '-p',
        `{"status":{"conditions":[{"type":"${GATE}","status":"True"}]}}`,
      ]);
      assert.equal(strategic.trim(), 'pod/gated patched');
      await watch.waitForOutput(/gated\s.*\s1\/1\s*\n/);
    } finally {
      await watch.stop();
    }
    await ok(['wait', '--for=condition=Ready', 'pod/gated', '--timeout=30s']);
    assert.match(await wideRow(), /\s1\/1\s*$/);
    const described = await ok(['describe', 'pod', 'gated']);
    assert.match(
      described,
      new RegExp(`Readiness Gates:\\n\\s+Type\\s+Status\\n\\s+${GATE.replace('.', '\\.')}\\s+True\\s*\\n`),
    );
    assert.match(described, /Conditions:[\s\S]*\n\s+Ready\s+True\s*\n/);
  });

  test('a bad condition type is refused with the field error; nothing changes', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const before = await agent.client.getPod('default', 'gated');
    const r = await run([
      'patch',
      'pod',
      'gated',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"conditions":[{"type":"not a name!","status":"True"}]}}',
    ]);
    assert.notEqual(r.status, 0);
    assert.match(
      r.err,
      /The Pod "gated" is invalid: status\.conditions\[0\]\.Type: Invalid value: "not a name!": name part must consist of/,
    );
    const after = await agent.client.getPod('default', 'gated');
    assert.deepEqual(after.status!.conditions, before.status!.conditions);
  });

  test('kubectl replace --subresource=status (PUT) sets the condition too', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const put = async (status: 'True' | 'False') => {
      const live = JSON.parse(await ok(['get', 'pod', 'gated', '-o', 'json'])) as Pod;
      live.status!.conditions = live.status!.conditions!.map((c) => (c.type === GATE ? { ...c, status } : c));
      const file = join(dir, `status-${status}.json`);
      writeFileSync(file, JSON.stringify(live));
      assert.equal((await ok(['replace', '--subresource=status', '-f', file])).trim(), 'pod/gated replaced');
    };
    await put('False');
    await untilReady('not Ready after PUT False', (c) => c.reason === 'ReadinessGatesNotReady');
    assert.match(await wideRow(), /\s0\/1\s*$/);
    await put('True');
    await untilReady('Ready after PUT True', (c) => c.status === 'True');
  });

  test('the gate condition survives an agent restart: still Ready, still 1/1', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    await agent.kubelet.stop();
    agent = await startTestAgent({ rootDir });
    kubectl = kubectlFor(agent)!;
    const p = await untilReady('Ready after restart', (c) => c.status === 'True');
    assert.equal(p.status!.conditions!.find((c) => c.type === GATE)?.status, 'True');
    assert.match(await wideRow(), /\s1\/1\s*$/);
  });
});
