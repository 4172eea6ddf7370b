// The relister's inspect cache: a running container's inspect is reused while the list
// says `running`, and an engine event makes the next relist inspect it afresh (the list
// can lag the `die` event).
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
    docker: {
      listContainers: async () => [{ Id: ID, State: e.listState, Labels: labels } as unknown as ContainerInfo],
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
