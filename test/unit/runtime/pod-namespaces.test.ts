// inspect-ns's judgements: which namespaces a container shares with the pause container
// (by identity, and as its HostConfig asks), and the printed table.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { ContainerInspectInfo } from '../../../src/runtime/docker-client.js';
import { type ContainerView, configuredSharing, relation } from '../../../src/runtime/pod-namespaces.js';
import { inspectNsText } from '../../../src/cli/inspect-ns.js';

const view = (name: string, ns: Record<string, string>, extra: Partial<ContainerView> = {}): ContainerView => ({
  name,
  role: name === 'POD' ? 'sandbox' : 'container',
  id: `${name}-0123456789abcdef`,
  pid: 42,
  namespaces: ns,
  source: 'host /proc',
  addresses: ['10.244.0.2'],
  routes: [{ iface: 'eth0', destination: 'default', gateway: '10.244.0.1' }],
  listening: [],
  ...extra,
});
const sandbox = view('POD', { net: 'net:[1]', ipc: 'ipc:[2]', uts: 'uts:[3]', pid: 'pid:[4]', user: 'user:[9]' });
const host = { user: 'user:[9]', net: 'net:[100]' };

test('relation: shared with the pause container, own, the host, or unknown', () => {
  const app = view('app', { net: 'net:[1]', ipc: 'ipc:[2]', uts: 'uts:[30]', user: 'user:[9]' });
  assert.equal(relation('net', app, sandbox, host), 'shared');
  assert.equal(relation('uts', app, sandbox, host), 'own');
  assert.equal(relation('user', app, sandbox, host), 'host');
  assert.equal(relation('pid', app, sandbox, host), 'unknown');
});

test('configuredSharing: container:<sandbox> modes; the network mode does not bring the UTS namespace', () => {
  const hc = (o: Record<string, string>) => o as unknown as ContainerInspectInfo['HostConfig'];
  assert.deepEqual(configuredSharing('sb', hc({ NetworkMode: 'container:sb', IpcMode: 'container:sb' })), [
    'net',
    'ipc',
  ]);
  assert.deepEqual(
    configuredSharing('sb', hc({ NetworkMode: 'container:sb', IpcMode: 'container:sb', PidMode: 'container:sb' })),
    ['net', 'ipc', 'pid'],
  );
  assert.deepEqual(configuredSharing('sb', hc({ NetworkMode: 'host', IpcMode: 'host', PidMode: 'host' })), []);
  assert.deepEqual(configuredSharing('sb', hc({ NetworkMode: 'container:other' })), []);
});

test('inspectNsText: one column per container, relations marked, what each sees', () => {
  const app = view(
    'app',
    { net: 'net:[1]', ipc: 'ipc:[2]', uts: 'uts:[30]', pid: 'pid:[40]', user: 'user:[9]' },
    {
      hostname: 'web',
      listening: [{ proto: 'tcp', address: '0.0.0.0', port: 80 }],
    },
  );
  const text = inspectNsText(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [] },
      status: { phase: 'Running', podIP: '10.244.0.2' },
    },
    { sandbox: { ...sandbox, hostname: 'web' }, containers: [app], host },
  );
  const lines = text.split('\n');
  assert.equal(lines[0], 'Pod default/web  IP 10.244.0.2  pause container POD-01234567 (pid 42)');
  assert.match(text, /^net {9}1 {13}1 shared$/m);
  assert.match(text, /^uts {9}3 {13}30 own$/m);
  assert.match(text, /^user {8}9 host {8}9 host$/m);
  assert.match(text, /^app {9}web {8}10\.244\.0\.2 {3}tcp 0\.0\.0\.0:80 {3}default via 10\.244\.0\.1 dev eth0$/m);
});
