// The relister's inspect cache: a running container's inspect is reused while the list
// says `running`, and an engine event makes the next relist inspect it afresh (the list
// can lag the `die` event); an `oom` event marks an exited container OOM-killed.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Relister } from '../../../src/runtime/relist.js';
import type { ContainerInfo, ContainerInspectInfo, DockerClient } from '../../../src/runtime/docker-client.js';
import { LABEL } from '../../../src/runtime/labels.js';

const ID = 'c'.repeat(64);
const labels = {
  [LABEL.agent]: 'a',
  [LABEL.podUid]: 'uid-1',
  [LABEL.podName]: 'p',
  [LABEL.podNamespace]: 'default',
  [LABEL.containerName]: 'app',
  [LABEL.dockerType]: 'container',
};

function inspectInfo(running: boolean): ContainerInspectInfo {
  return {
    Id: ID,
    Name: '/k8s_app_p_default_uid-1_0',
    Created: '2026-11-23T10:00:00.000000001Z',
    Image: 'sha256:i',
    Config: { Labels: labels, Image: 'busybox' },
    State: running
      ? {
          Running: true,
          Status: 'running',
          ExitCode: 0,
          StartedAt: '2026-11-23T10:00:01Z',
          FinishedAt: '0001-01-01T00:00:00Z',
          OOMKilled: false,
          Error: '',
        }
      : {
          Running: false,
          Status: 'exited',
          ExitCode: 0,
          StartedAt: '2026-11-23T10:00:01Z',
          FinishedAt: new Date().toISOString(),
          OOMKilled: false,
          Error: '',
        },
    NetworkSettings: {},
  } as unknown as ContainerInspectInfo;
}

function fakeEngine() {
  const e = {
    listState: 'running',
    running: true,
    inspects: 0,
    lists: [] as string[][],
    docker: {
      listContainers: async (o: { label: string[] }) => {
        e.lists.push(o.label);
        return [{ Id: ID, State: e.listState, Labels: labels } as unknown as ContainerInfo];
      },
      inspectContainer: async () => {
        e.inspects++;
        return inspectInfo(e.running);
      },
      inspectImage: async () => ({ RepoDigests: [] }),
    } as unknown as DockerClient,
  };
  return e;
}

const state = async (r: Relister) => (await r.getPodStatus('uid-1')).containers[0]?.state;

test('a running container is inspected once while the list keeps saying running', async () => {
  const e = fakeEngine();
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  assert.equal(await state(r), 'running');
  assert.equal(await state(r), 'running');
  assert.equal(e.inspects, 1);
});

test('after an engine event the container is inspected again, even if the list still says running', async () => {
  const e = fakeEngine();
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  assert.equal(await state(r), 'running');
  e.running = false; // it died; the list has not caught up
  assert.equal(await state(r), 'running', 'without an event the cached inspect stands');
  r.invalidate(ID);
  assert.equal(await state(r), 'exited');
  assert.equal(e.inspects, 2);
});

// The kubelet's podCache.GetNewerThan: a sync reads its pod from the PLEG's relist when
// that list was sent after the pod's last sync and no engine event came for it since.
test('a pod status is read from the newest full list when it was sent after listedAfter: no list of its own', async () => {
  const e = fakeEngine();
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  const lastSync = performance.now();
  await new Promise((res) => setImmediate(res));
  await r.listEverything();
  const lists = e.lists.length;
  const rt = await r.getPodStatus('uid-1', lastSync);
  assert.equal(rt.containers[0]?.state, 'running');
  assert.equal(e.lists.length, lists, 'no list call');
  assert.equal((await r.getPodStatus('uid-2', lastSync)).containers.length, 0, 'a pod not in the list has nothing');
  assert.equal(e.lists.length, lists);
});

test('a full list sent before the last sync ended is not used: the pod is listed afresh', async () => {
  const e = fakeEngine();
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  await r.listEverything();
  await new Promise((res) => setImmediate(res));
  const lastSync = performance.now();
  const lists = e.lists.length;
  await r.getPodStatus('uid-1', lastSync);
  assert.equal(e.lists.length, lists + 1);
  assert.ok(
    e.lists.at(-1)!.some((l) => l.includes('uid-1')),
    'a list filtered to the pod',
  );
});

test('an engine event for the pod after the full list: the pod is listed afresh; for another pod the list still serves', async () => {
  const e = fakeEngine();
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  const lastSync = performance.now();
  await new Promise((res) => setImmediate(res));
  await r.listEverything();
  r.invalidate('d'.repeat(64), 'uid-2');
  const lists = e.lists.length;
  await r.getPodStatus('uid-1', lastSync);
  assert.equal(e.lists.length, lists, 'uid-1 had no event: from the list');
  r.invalidate(ID, 'uid-1');
  await r.getPodStatus('uid-1', lastSync);
  assert.equal(e.lists.length, lists + 1, 'uid-1 had an event: listed afresh');
});

test('without listedAfter (a first sync, a relist after changes) the pod is always listed afresh', async () => {
  const e = fakeEngine();
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  await r.listEverything();
  const lists = e.lists.length;
  await r.getPodStatus('uid-1');
  assert.equal(e.lists.length, lists + 1);
});

// dockerd 20.10 sets State.OOMKilled only when containerd's TaskOOM reaches it before the
// TaskExit; when it comes after, only the engine's `oom` event tells.
const oomOf = async (r: Relister) => (await r.getPodStatus('uid-1')).containers[0]?.oomKilled;

test('an oom event for an exited container whose inspect says OOMKilled false: it reads OOM-killed', async () => {
  const e = fakeEngine();
  e.running = false;
  e.listState = 'exited';
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  assert.equal(await oomOf(r), undefined, 'the flag alone says no');
  r.engineEvent({ podUid: 'uid-1', containerId: ID, action: 'oom' });
  assert.equal(await oomOf(r), true);
  await r.listEverything(); // the container is still there: the event is kept
  assert.equal(await oomOf(r), true);
});

test('an oom event for a running container (a child process was killed): nothing shows until it exits', async () => {
  const e = fakeEngine();
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  r.engineEvent({ podUid: 'uid-1', containerId: ID, action: 'oom' });
  assert.equal(await oomOf(r), undefined);
  e.running = false;
  e.listState = 'exited';
  assert.equal(await oomOf(r), true, 'its exit reads OOM-killed, as dockerd’s sticky flag would');
});

test('other engine events do not mark a container OOM-killed', async () => {
  const e = fakeEngine();
  e.running = false;
  e.listState = 'exited';
  const r = new Relister(e.docker, 'a', 'net', (fn) => fn());
  for (const action of ['die', 'kill', 'stop']) r.engineEvent({ podUid: 'uid-1', containerId: ID, action });
  assert.equal(await oomOf(r), undefined);
});
