// The Node status setters (pkg/kubelet/nodestatus/setters.go) as pure functions of their inputs.
import assert from 'node:assert/strict';
import { describe, test } from '../../harness/node-test.js';
import {
  allocatable,
  capacity,
  conditionStates,
  memAvailableFromMeminfo,
  nodeImages,
  nodeInfo,
  processesFromLoadavg,
  withTimes,
} from '../../../src/node/node-status.js';
import { formatBytes, formatCpu, parseSystemReserved } from '../../../src/node/resources.js';
import { nodeRoles, nodeStatusText, nodeTableObject } from '../../../src/printers/cluster-columns.js';
import type { EngineInfo } from '../../../src/runtime/runtime.js';
import { fakeNodeObject } from '../../fakes/fake-node.js';

const INFO: EngineInfo = {
  ncpu: 4,
  memTotal: 16 * 2 ** 30 + 512,
  serverVersion: '27.1.0',
  operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
  kernelVersion: '6.1.0-18-amd64',
  dockerRootDir: '/var/lib/docker',
};
const NODEFS = { capacityBytes: 100 * 2 ** 30, availableBytes: 50 * 2 ** 30 };

describe('machine info: capacity and allocatable', () => {
  test('capacity: engine CPUs, MemTotal in whole Ki, the root filesystem, --max-pods', () => {
    assert.deepEqual(capacity(INFO, NODEFS, 110), {
      cpu: '4',
      'ephemeral-storage': '100Gi',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: '16Gi',
      pods: '110',
    });
  });

  test('allocatable: minus --system-reserved and the hard eviction thresholds (memory 100Mi, nodefs 10%)', () => {
    const a = allocatable(INFO, NODEFS, 110, parseSystemReserved('cpu=100m,memory=1Gi'));
    assert.equal(a.cpu, '3900m');
    assert.equal(a.memory, `${16 * 1024 - 1024 - 100}Mi`);
    assert.equal(a['ephemeral-storage'], String(90 * 2 ** 30 - 0));
    assert.equal(a.pods, '110');
  });

  test('allocatable never goes negative', () => {
    const a = allocatable({ ...INFO, ncpu: 1, memTotal: 50 * 2 ** 20 }, undefined, 10, parseSystemReserved('cpu=2'));
    assert.equal(a.cpu, '0');
    assert.equal(a.memory, '0');
  });
});

describe('--system-reserved (kubelet syntax)', () => {
  test('parses cpu, memory, ephemeral-storage and pid', () => {
    assert.deepEqual(parseSystemReserved('cpu=100m, memory=100Mi,ephemeral-storage=1Gi,pid=100'), {
      cpu: 0.1,
      memory: 100 * 2 ** 20,
      'ephemeral-storage': 2 ** 30,
      pid: 100,
    });
    assert.deepEqual(parseSystemReserved(''), {});
  });

  test('a bad entry is an error naming it', () => {
    assert.throws(() => parseSystemReserved('cpu'), /--system-reserved: "cpu": expected NAME=QUANTITY/);
    assert.throws(() => parseSystemReserved('gpu=1'), /gpu: unsupported resource/);
    assert.throws(() => parseSystemReserved('memory=lots'), /memory: invalid quantity "lots"/);
  });

  test('quantities print as the API server prints them', () => {
    assert.equal(formatCpu(2), '2');
    assert.equal(formatCpu(0.25), '250m');
    assert.equal(formatBytes(24683584 * 1024), '24683584Ki');
    assert.equal(formatBytes(2 ** 30), '1Gi');
    assert.equal(formatBytes(1000), '1000');
  });
});

describe('conditions from real signals', () => {
  const healthy = {
    memAvailableBytes: 2 * 2 ** 30,
    nodefs: NODEFS,
    imagefs: NODEFS,
    pidMax: 4_194_304,
    processes: 500,
  };

  test('healthy: the kubelet reasons and messages, in its order', () => {
    assert.deepEqual(
      conditionStates(healthy, []).map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ],
    );
  });

  test('pressure: memory below 100Mi, nodefs below 10%, imagefs below 15%, PIDs nearly exhausted', () => {
    const status = (s: Parameters<typeof conditionStates>[0]) =>
      Object.fromEntries(conditionStates(s, []).map((c) => [c.type, c.status]));
    assert.equal(status({ ...healthy, memAvailableBytes: 99 * 2 ** 20 }).MemoryPressure, 'True');
    assert.equal(status({ ...healthy, nodefs: { capacityBytes: 100, availableBytes: 9 } }).DiskPressure, 'True');
    assert.equal(status({ ...healthy, nodefs: { capacityBytes: 100, availableBytes: 11 } }).DiskPressure, 'False');
    assert.equal(status({ ...healthy, imagefs: { capacityBytes: 100, availableBytes: 14 } }).DiskPressure, 'True');
    assert.equal(status({ ...healthy, pidMax: 1000, processes: 950 }).PIDPressure, 'True');
    assert.equal(status({}).MemoryPressure, 'False');
  });

  test('an engine that does not answer: Ready=False, KubeletNotReady, the kubelet message', () => {
    const ready = conditionStates(healthy, ['container runtime is down']).find((c) => c.type === 'Ready')!;
    assert.deepEqual(
      [ready.status, ready.reason, ready.message],
      ['False', 'KubeletNotReady', 'container runtime is down'],
    );
  });

  test('lastTransitionTime moves only when the status flips; the heartbeat always', () => {
    const first = withTimes(conditionStates(healthy, []), [], 'T1');
    const same = withTimes(conditionStates(healthy, []), first, 'T2');
    assert.deepEqual(
      same.map((c) => [c.lastHeartbeatTime, c.lastTransitionTime]),
      [
        ['T2', 'T1'],
        ['T2', 'T1'],
        ['T2', 'T1'],
        ['T2', 'T1'],
      ],
    );
    const down = withTimes(conditionStates(healthy, ['container runtime is down']), same, 'T3');
    assert.equal(down.find((c) => c.type === 'Ready')!.lastTransitionTime, 'T3');
    assert.equal(down.find((c) => c.type === 'MemoryPressure')!.lastTransitionTime, 'T1');
  });

  test('host files: MemAvailable from /proc/meminfo, tasks from /proc/loadavg', () => {
    assert.equal(memAvailableFromMeminfo('MemTotal: 100 kB\nMemAvailable:    2048 kB\n'), 2048 * 1024);
    assert.equal(memAvailableFromMeminfo('MemTotal: 100 kB\n'), undefined);
    assert.equal(processesFromLoadavg('0.52 0.58 0.59 3/1234 56789\n'), 1234);
    assert.equal(processesFromLoadavg('garbage'), undefined);
  });
});

describe('nodeInfo and images', () => {
  test('versions: docker://<engine version>, the agent as kubelet, kube-proxy empty', () => {
    const n = nodeInfo(INFO, { machineID: 'm', systemUUID: '', bootID: 'b' }, 'v1.32.0-minikubelet', 'arm64');
    assert.equal(n.containerRuntimeVersion, 'docker://27.1.0');
    assert.equal(n.osImage, 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(n.kernelVersion, '6.1.0-18-amd64');
    assert.equal(n.kubeProxyVersion, '');
    assert.deepEqual([n.operatingSystem, n.architecture], ['linux', 'arm64']);
  });

  test('images: largest first, nameless ones dropped, at most 50', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      id: `sha256:${i}`,
      names: [`img${i}:1`],
      sizeBytes: i,
      createdMs: 0,
    }));
    const out = nodeImages([...many, { id: 'sha256:x', names: [], sizeBytes: 1e9, createdMs: 0 }]);
    assert.equal(out.length, 50);
    assert.deepEqual(out[0], { names: ['img59:1'], sizeBytes: 59 });
  });
});

describe('the kubectl get nodes row (printNode)', () => {
  test('NAME STATUS ROLES AGE VERSION, then the wide columns', () => {
    const node = fakeNodeObject('n1', '5');
    const t = nodeTableObject([node], Date.parse('2026-01-01T00:05:00Z'), '5');
    assert.deepEqual(t.rows[0]!.cells, [
      'n1',
      'Ready',
      '<none>',
      '5m',
      'v1.32.0-minikubelet',
      '10.244.0.1',
      '<none>',
      'Fake OS',
      '6.1.0',
      'docker://27.0.0',
    ]);
    assert.deepEqual(
      t.columnDefinitions.map((c) => c.priority),
      [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    );
  });

  test('roles from node-role labels; NotReady; SchedulingDisabled when cordoned', () => {
    const node = fakeNodeObject('n1', '5');
    node.metadata.labels = { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' };
    assert.equal(nodeRoles(node), 'control-plane,worker');
    node.spec.unschedulable = true;
    node.status.conditions = node.status.conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
    assert.equal(nodeStatusText(node), 'NotReady,SchedulingDisabled');
  });
});
