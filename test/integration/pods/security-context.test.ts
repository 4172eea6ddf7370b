// securityContext on the real engine (issue #14 §3): ids and groups, runAsNonRoot,
// fsGroup on an emptyDir, read-only rootfs, capabilities, no_new_privs, privileged,
// seccomp, and sysctls (safe set applied, an unsafe one rejected as the kubelet does).
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUSYBOX, readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Container, Pod, PodSecurityContext } from '../../../src/apis/core/types.js';

// Docker's default capability set (oci/caps/defaults.go) as CapEff bits.
const DOCKER_DEFAULT_CAPS = [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31];
const NET_ADMIN = 12;
const NET_RAW = 13;
const capHex = (bits: number[]) =>
  bits
    .reduce((acc, b) => acc | (1n << BigInt(b)), 0n)
    .toString(16)
    .padStart(16, '0');

const sh = (name: string, script: string, extra: Partial<Container> = {}): Container => ({
  name,
  image: BUSYBOX,
  command: ['sh', '-c', script],
  ...extra,
});

function podOf(name: string, containers: Container[], sc: PodSecurityContext = {}, extra: object = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { restartPolicy: 'Never', securityContext: sc, containers, ...extra },
  } as Pod;
}

describe('securityContext', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const finished = (name: string) =>
    waitFor(`${name} finished`, async () => {
      const p = await agent.client.getPod('default', name);
      return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' ? p : undefined;
    });
  const logs = async (pod: string, c: string) =>
    (await readText(await agent.client.podLogs('default', pod, { container: c }))).trim();

  test('runAsUser, runAsGroup, supplementalGroups and fsGroup; runAsNonRoot with a non-root uid runs', async () => {
    const sc: PodSecurityContext = {
      runAsUser: 1000,
      runAsGroup: 3000,
      runAsNonRoot: true,
      supplementalGroups: [4000],
      fsGroup: 2000,
    };
    const mount = { volumeMounts: [{ name: 'data', mountPath: '/data' }] };
    await agent.client.createPod(
      'default',
      podOf(
        'sec-ids',
        [sh('ids', 'id -u; id -g; id -G'), sh('fsgroup', 'echo hi > /data/f && stat -c "%g %A" /data /data/f', mount)],
        sc,
        { volumes: [{ name: 'data', emptyDir: {} }] },
      ),
    );
    const p = await finished('sec-ids');
    assert.equal(p.status?.phase, 'Succeeded', JSON.stringify(p.status?.containerStatuses));
    const [uid, gid, groups] = (await logs('sec-ids', 'ids')).split('\n');
    assert.deepEqual([uid, gid], ['1000', '3000']);
    assert.deepEqual(groups!.split(' ').sort(), ['2000', '3000', '4000']);
    // The volume root is group 2000 with the setgid bit, so the new file inherits the group.
    assert.deepEqual((await logs('sec-ids', 'fsgroup')).split('\n'), ['2000 drwxrwsr-x', '2000 -rw-r--r--']);
  });

  test('runAsNonRoot with a root image user: CreateContainerConfigError with the kubelet message', async () => {
    const created = await agent.client.createPod(
      'default',
      podOf('sec-root', [sh('app', 'true')], { runAsNonRoot: true }),
    );
    const w = await waitFor('CreateContainerConfigError', async () => {
      const s = (await agent.client.getPod('default', 'sec-root')).status?.containerStatuses?.[0]?.state.waiting;
      return s?.reason === 'CreateContainerConfigError' ? s : undefined;
    });
    assert.equal(
      w.message,
      `container has runAsNonRoot and image will run as root (pod: "sec-root_default(${created.metadata.uid})", container: app)`,
    );
  });

  test('read-only rootfs, capabilities, no_new_privs, privileged and seccomp', async () => {
    const status = 'grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status';
    await agent.client.createPod(
      'default',
      podOf('sec-caps', [
        sh('ro', 'touch /x 2>/dev/null && echo wrote || echo refused', {
          securityContext: { readOnlyRootFilesystem: true },
        }),
        sh('caps', status, { securityContext: { capabilities: { drop: ['NET_RAW'], add: ['CAP_NET_ADMIN'] } } }),
        sh('nnp', status, { securityContext: { allowPrivilegeEscalation: false } }),
        sh('unconfined', status, { securityContext: { seccompProfile: { type: 'Unconfined' } } }),
        sh('default', status, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
      ]),
    );
    const p = await finished('sec-caps');
    assert.equal(p.status?.phase, 'Succeeded', JSON.stringify(p.status?.containerStatuses));
    const field = async (c: string) =>
      Object.fromEntries(
        (await logs('sec-caps', c)).split('\n').map((l) => l.split(':').map((x) => x.trim()) as [string, string]),
      );
    assert.equal(await logs('sec-caps', 'ro'), 'refused');
    const caps = await field('caps');
    const expected = [...DOCKER_DEFAULT_CAPS.filter((b) => b !== NET_RAW), NET_ADMIN];
    assert.equal(caps.CapEff, capHex(expected));
    assert.equal(caps.NoNewPrivs, '0');
    assert.equal(caps.Seccomp, '0', 'no seccompProfile: Unconfined, as the kubelet without --seccomp-default');
    assert.equal((await field('nnp')).NoNewPrivs, '1');
    assert.equal((await field('unconfined')).Seccomp, '0');
    assert.equal((await field('default')).Seccomp, '2');
  });

  test("privileged: every capability, or the engine's reason when this host's engine cannot grant them", async () => {
    const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
    const full = capHex([...Array(lastCap + 1).keys()]);
    // Our own bounding set stands for the engine's: an engine inside a container may lack some.
    const bound = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1];
    await agent.client.createPod(
      'default',
      podOf('sec-priv', [sh('priv', 'grep ^CapEff: /proc/self/status', { securityContext: { privileged: true } })]),
    );
    const p = await finished('sec-priv');
    const s = p.status?.containerStatuses?.[0]?.state.terminated;
    if (bound === full) {
      assert.equal(p.status?.phase, 'Succeeded');
      assert.equal(await logs('sec-priv', 'priv'), `CapEff:\t${full}`);
    } else {
      assert.equal(p.status?.phase, 'Failed');
      assert.match(s?.message ?? '', /unable to apply caps: operation not permitted/);
    }
  });

  test('a Localhost seccomp profile is read from <root-dir>/seccomp; a missing one is a CreateContainerError', async () => {
    const dir = join(agent.options.rootDir, 'seccomp', 'profiles');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'allow.json'), JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW' }));
    const local = (profile: string) => ({
      securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: profile } },
    });
    await agent.client.createPod(
      'default',
      podOf('sec-local', [sh('app', 'grep ^Seccomp: /proc/self/status', local('profiles/allow.json'))]),
    );
    assert.equal((await finished('sec-local')).status?.phase, 'Succeeded');
    assert.equal(await logs('sec-local', 'app'), 'Seccomp:\t2');

    await agent.client.createPod('default', podOf('sec-nolocal', [sh('app', 'true', local('profiles/none.json'))]));
    const w = await waitFor('CreateContainerError', async () => {
      const s = (await agent.client.getPod('default', 'sec-nolocal')).status?.containerStatuses?.[0]?.state.waiting;
      return s?.reason === 'CreateContainerError' ? s : undefined;
    });
    assert.match(w.message ?? '', /^cannot load seccomp profile ".*\/seccomp\/profiles\/none\.json": ENOENT/);
  });

  test('a safe sysctl is applied in the pod; an unsafe one rejects the pod (SysctlForbidden)', async () => {
    const safe = { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }] };
    await agent.client.createPod(
      'default',
      podOf('sec-sysctl', [sh('app', 'cat /proc/sys/net/ipv4/ip_unprivileged_port_start')], safe),
    );
    assert.equal((await finished('sec-sysctl')).status?.phase, 'Succeeded');
    assert.equal(await logs('sec-sysctl', 'app'), '80');

    const unsafe = { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] };
    await agent.client.createPod('default', podOf('sec-unsafe', [sh('app', 'true')], unsafe));
    const p = await finished('sec-unsafe');
    assert.deepEqual(
      [p.status?.phase, p.status?.reason, p.status?.message],
      ['Failed', 'SysctlForbidden', 'Pod was rejected: forbidden sysctl: "net.core.somaxconn" not allowlisted'],
    );
    assert.equal((await agent.containers('io.kubernetes.pod.name=sec-unsafe')).length, 0);
  });
});
