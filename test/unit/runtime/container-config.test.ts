import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { containerCreateOptions } from '../../../src/runtime/container-config.js';
import { sandboxCreateOptions, sandboxPortBindings } from '../../../src/runtime/sandbox.js';
import { podHostname } from '../../../src/apis/core/pod-util.js';
import type { CreateContainerRequest } from '../../../src/runtime/runtime.js';
import type { Container } from '../../../src/apis/core/types.js';
import { pod } from '../../fixtures/pods.js';

function req(c: Partial<Container> = {}, extra: Partial<CreateContainerRequest> = {}): CreateContainerRequest {
  const p = pod();
  return {
    pod: p,
    container: { ...p.spec.containers[0]!, ...c },
    type: 'container',
    sandboxId: 'sb123',
    restartCount: 0,
    env: ['A=1'],
    ...extra,
  };
}
const build = (r: CreateContainerRequest) => containerCreateOptions({ req: r, agentId: 'ag', name: 'n', mounts: [] });

test('joins the sandbox namespaces and sets no hostname', () => {
  const o = build(req());
  assert.equal(o.HostConfig!.NetworkMode, 'container:sb123');
  assert.equal(o.HostConfig!.IpcMode, 'container:sb123');
  assert.equal(o.HostConfig!.PidMode, undefined);
  assert.equal(o.Hostname, undefined);
  assert.deepEqual(o.Env, ['A=1']);
  const r = req();
  r.pod.spec.shareProcessNamespace = true;
  assert.equal(build(r).HostConfig!.PidMode, 'container:sb123');
});

test('command → Entrypoint, args → Cmd, unset stays unset', () => {
  assert.deepEqual([build(req()).Entrypoint, build(req()).Cmd], [undefined, undefined]);
  const both = build(req({}, { command: ['sh', '-c'], args: ['echo hi'] }));
  assert.deepEqual([both.Entrypoint, both.Cmd], [['sh', '-c'], ['echo hi']]);
  const argsOnly = build(req({}, { args: ['echo', 'hi'] }));
  assert.deepEqual([argsOnly.Entrypoint, argsOnly.Cmd], [undefined, ['echo', 'hi']]);
});

test('resources and security context', () => {
  const o = build(
    req({
      resources: { limits: { memory: '10Mi', cpu: '500m' }, requests: { cpu: '100m' } },
      securityContext: {
        runAsUser: 1000,
        runAsGroup: 2000,
        readOnlyRootFilesystem: true,
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        allowPrivilegeEscalation: false,
      },
      lifecycle: { stopSignal: 'SIGUSR1' },
      tty: true,
      stdin: true,
      workingDir: '/w',
      ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
    }),
  );
  const h = o.HostConfig!;
  assert.equal(h.Memory, 10 * 2 ** 20);
  assert.equal(h.MemorySwap, 10 * 2 ** 20);
  // The kubelet's CFS quota over a 100 ms period (MilliCPUToQuota), never NanoCpus.
  assert.deepEqual([h.NanoCpus, h.CpuPeriod, h.CpuQuota], [undefined, 100_000, 50_000]);
  assert.equal(h.CpuShares, 102);
  assert.equal(h.Privileged, undefined);
  assert.equal(h.ReadonlyRootfs, true);
  assert.deepEqual(
    [h.CapAdd, h.CapDrop, h.SecurityOpt],
    [['CAP_NET_ADMIN'], ['ALL'], ['no-new-privileges', 'seccomp=unconfined']],
  );
  assert.equal(o.User, '1000:2000');
  assert.equal(o.StopSignal, 'SIGUSR1');
  assert.deepEqual([o.Tty, o.OpenStdin, o.StdinOnce, o.WorkingDir], [true, true, false, '/w']);
  assert.equal(o.ExposedPorts, undefined);
  assert.equal(h.LogConfig!.Type, 'json-file');
});

test('sandbox: hostname, ports, modes', () => {
  const p = pod({ name: `${'a'.repeat(62)}-b` });
  assert.equal(podHostname(p), 'a'.repeat(62));
  p.spec.hostname = 'custom';
  assert.equal(podHostname(p), 'custom');
  p.spec.containers[0]!.ports = [
    { containerPort: 80, hostPort: 8080 },
    { containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '127.0.0.1' },
  ];
  assert.deepEqual(sandboxPortBindings(p).bindings, {
    '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }],
    '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
  });
  const o = sandboxCreateOptions(
    { docker: null as never, agentId: 'ag', podNetwork: 'net', podInfraImage: 'pause' },
    p,
    1,
  );
  assert.equal(o.name, `k8s_POD_${p.metadata.name}_default_uid-1_1`);
  assert.equal(o.Hostname, 'custom');
  assert.deepEqual(
    [o.HostConfig!.NetworkMode, o.HostConfig!.IpcMode, o.HostConfig!.PidMode],
    ['net', 'shareable', undefined],
  );
});

test('mounts go in HostConfig.Mounts, never Binds strings (a ":" in a path is not re-parsed)', () => {
  const mounts = [{ Type: 'bind' as const, Source: '/state/sub:x', Target: '/in:side', ReadOnly: true }];
  const o = containerCreateOptions({ req: req(), agentId: 'ag', name: 'n', mounts });
  assert.deepEqual(o.HostConfig!.Mounts, mounts);
  assert.equal(o.HostConfig!.Binds, undefined);
});
