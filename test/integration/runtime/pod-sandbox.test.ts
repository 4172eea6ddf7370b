// Sandbox + joined containers on the real engine: shared network, IPC, UTS, PID
// namespaces, emptyDir sharing, idempotent sandbox, removePod.
import { after, before, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { LABEL } from '../../../src/runtime/labels.js';
import { bb, makePod, runPod, setUp, tearDown, type TestEnv, waitFor } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setUp('sandbox');
});
after(async () => {
  await tearDown(env);
});

test('containers share localhost, IP and hostname with the sandbox', async () => {
  const pod = makePod('shared-net', [
    bb('server', { command: ['httpd', '-f', '-p', '8080', '-h', '/etc'] }),
    bb('client', { command: ['sh', '-c', 'sleep 3600'] }),
  ]);
  const { sandboxId, ids } = await runPod(env, pod);
  const st = await env.runtime.getPodStatus(pod.metadata.uid);
  assert.equal(st.name, 'shared-net');
  assert.equal(st.namespace, 'rt-test');
  assert.equal(st.sandboxes.length, 1);
  const ip = st.sandboxes[0]!.ip!;
  assert.match(ip, /^10\.\d+\.\d+\.\d+$/);
  assert.equal(st.sandboxes[0]!.state, 'running');

  const fetched = await waitFor('httpd to answer on localhost', async () => {
    const r = await env.runtime.exec(ids.client!, ['wget', '-qO-', 'http://127.0.0.1:8080/hostname'], 5000);
    return r.exitCode === 0 ? r : undefined;
  });
  assert.equal(fetched.output.trim(), 'shared-net');
  // Same network namespace: the client sees the sandbox's IP on its own eth0.
  const addr = await env.runtime.exec(ids.client!, ['ip', '-4', 'addr', 'show', 'eth0'], 5000);
  assert.ok(addr.output.includes(ip), addr.output);
  const hn = await env.runtime.exec(ids.server!, ['hostname'], 5000);
  assert.equal(hn.output.trim(), 'shared-net');

  const info = await env.docker.inspectContainer(ids.client!);
  assert.equal(info.HostConfig.NetworkMode, `container:${sandboxId}`);
  assert.equal(info.HostConfig.IpcMode, `container:${sandboxId}`);
  assert.equal(info.Config.Labels![LABEL.sandboxId], sandboxId);
  const sb = await env.docker.inspectContainer(sandboxId);
  assert.equal(sb.HostConfig.IpcMode, 'shareable');
  assert.equal(sb.Config.Hostname, 'shared-net');
  assert.equal(sb.Name, `/k8s_POD_shared-net_rt-test_${pod.metadata.uid}_0`);
});

test('private PID namespaces by default, shared with shareProcessNamespace', async () => {
  const cmd = (tag: string) => ({ command: ['sh', '-c', `exec sleep 36${tag}`] });
  const priv = makePod('pid-private', [bb('a', cmd('01')), bb('b', cmd('02'))]);
  const shared = makePod('pid-shared', [bb('a', cmd('03')), bb('b', cmd('04'))], { shareProcessNamespace: true });
  const p = await runPod(env, priv);
  const s = await runPod(env, shared);
  const ps = async (id: string) => (await env.runtime.exec(id, ['ps', '-o', 'pid,args'], 5000)).output;
  assert.ok(!(await ps(p.ids.a!)).includes('sleep 3602'));
  const out = await waitFor('b visible from a', async () => {
    const o = await ps(s.ids.a!);
    return o.includes('sleep 3604') && o;
  });
  assert.match(out, /pause/);
  const info = await env.docker.inspectContainer(s.ids.b!);
  assert.equal(info.HostConfig.PidMode, `container:${s.sandboxId}`);
});

test('emptyDir is shared between containers and removed with the pod', async () => {
  const pod = makePod(
    'empty-dir',
    [
      bb('writer', {
        command: ['sh', '-c', 'echo hello > /data/x; exec sleep 3600'],
        volumeMounts: [{ name: 'd', mountPath: '/data' }],
      }),
      bb('reader', {
        command: ['sh', '-c', 'exec sleep 3600'],
        volumeMounts: [
          { name: 'd', mountPath: '/in', readOnly: true },
          { name: 'm', mountPath: '/mem' },
        ],
      }),
    ],
    {
      volumes: [
        { name: 'd', emptyDir: {} },
        { name: 'm', emptyDir: { medium: 'Memory' } },
      ],
    },
  );
  const { ids } = await runPod(env, pod);
  const r = await waitFor('file visible', async () => {
    const x = await env.runtime.exec(ids.reader!, ['cat', '/in/x'], 5000);
    return x.exitCode === 0 && x;
  });
  assert.equal(r.output, 'hello\n');
  const ro = await env.runtime.exec(ids.reader!, ['sh', '-c', 'touch /in/y'], 5000);
  assert.notEqual(ro.exitCode, 0);
  const mnt = await env.runtime.exec(ids.reader!, ['sh', '-c', 'grep " /mem " /proc/mounts'], 5000);
  assert.match(mnt.output, /tmpfs/);

  await env.runtime.removePod(pod.metadata.uid);
  const left = await env.docker.listContainers(
    { label: [`${LABEL.agent}=${env.agentId}`, `${LABEL.podUid}=${pod.metadata.uid}`] },
    true,
  );
  assert.equal(left.length, 0);
  const vols = await env.docker.listVolumes({ label: [`${LABEL.podUid}=${pod.metadata.uid}`] });
  assert.equal(vols.length, 0);
  const st = await env.runtime.getPodStatus(pod.metadata.uid);
  assert.deepEqual([st.sandboxes.length, st.containers.length], [0, 0]);
});

test('runSandbox is idempotent for a running sandbox and replaces a stopped one', async () => {
  const pod = makePod('idempotent', [bb('c')]);
  const first = await env.runtime.runSandbox(pod, 0);
  assert.equal(await env.runtime.runSandbox(pod, 0), first);
  await env.runtime.stopSandbox(first, 2);
  const second = await env.runtime.runSandbox(pod, 0);
  assert.notEqual(second, first);
  const st = await env.runtime.getPodStatus(pod.metadata.uid);
  assert.deepEqual(
    st.sandboxes.map((s) => [s.id, s.state]),
    [[second, 'running']],
  );
  const next = await env.runtime.runSandbox(pod, 1);
  const st2 = await env.runtime.getPodStatus(pod.metadata.uid);
  assert.deepEqual(
    st2.sandboxes.map((s) => s.id),
    [next, second],
  );
});

test('hostPort is published on the sandbox', async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pod = makePod('host-port', [
    bb('web', {
      command: ['httpd', '-f', '-p', '80', '-h', '/etc'],
      ports: [{ containerPort: 80, hostPort: port, hostIP: '127.0.0.1' }],
    }),
  ]);
  await runPod(env, pod);
  const body = await waitFor('hostPort answers', async () => {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/hostname`);
      return r.ok && (await r.text());
    } catch {
      return undefined;
    }
  });
  assert.equal(body.trim(), 'host-port');
});
