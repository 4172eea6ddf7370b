// `kubectl … --dry-run=server` sends dryRun=All: every check runs, nothing is stored,
// nothing starts (kube-apiserver's dry-run). Writes the agent cannot dry-run are refused
// instead of being made.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod, Secret } from '../../src/apis/core/types.js';
import { NO_KUBECTL } from '../harness/kubectl.js';
import { describe, test } from '../harness/node-test.js';
import { kubectlAgent } from '../harness/kubectl-agent.js';

const POD = (name: string, image = 'minikubelet.local/busybox:1.35') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: ${image}
    command: ["sleep", "3600"]
    resources:
      requests: {cpu: 10m, memory: 8Mi}
      limits: {cpu: 10m, memory: 8Mi}
`;

/** True when the read fails with NotFound: what a dry run must leave. */
async function absent(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (err) {
    return /not found/i.test((err as Error).message);
  }
}

describe('kubectl --dry-run=server', () => {
  const env = kubectlAgent({}, 'mkl-dryrun-');

  test('create of a pod answers the pod the API would store and stores nothing', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const file = join(env.dir, 'dry.yaml');
    writeFileSync(file, POD('dry'));
    const r = await env.kubectl(['create', '--dry-run=server', '-f', file, '-o', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const pod = JSON.parse(r.stdout) as Pod;
    assert.equal(pod.metadata.name, 'dry');
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.status?.qosClass, 'Guaranteed');
    assert.ok(pod.metadata.uid, 'the would-be pod has its uid');
    // ServiceAccount admission ran, as on the API server.
    assert.equal(pod.spec.serviceAccountName, 'default');
    assert.ok(await absent(env.agent.client.getPod('default', 'dry')), 'the pod was stored');
    const containers = await env.agent.docker.listContainers({
      all: true,
      filters: { label: [`io.kubernetes.pod.uid=${pod.metadata.uid}`] },
    });
    assert.deepEqual(containers, []);
  });

  test('its checks still run: an invalid pod and a taken name are refused as without dry run', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const bad = join(env.dir, 'bad.yaml');
    writeFileSync(bad, POD('bad', ''));
    const invalid = await env.kubectl(['create', '--dry-run=server', '-f', bad]);
    assert.notEqual(invalid.status, 0);
    assert.match(invalid.stderr, /spec\.containers\[0\]\.image: Required value/);

    const file = join(env.dir, 'taken.yaml');
    writeFileSync(file, POD('taken'));
    assert.equal((await env.kubectl(['create', '-f', file])).status, 0);
    const again = await env.kubectl(['create', '--dry-run=server', '-f', file]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /pods "taken" already exists/);
  });

  test('delete and label of a pod change nothing', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const file = join(env.dir, 'keep.yaml');
    writeFileSync(file, POD('keep'));
    assert.equal((await env.kubectl(['create', '-f', file])).status, 0);
    const before = await env.agent.client.getPod('default', 'keep');

    const del = await env.kubectl(['delete', 'pod', 'keep', '--dry-run=server']);
    assert.equal(del.status, 0, del.stderr);
    assert.equal(del.stdout.trim(), 'pod "keep" deleted (server dry run)');
    const label = await env.kubectl(['label', 'pod', 'keep', 'tier=web', '--dry-run=server']);
    assert.equal(label.status, 0, label.stderr);
    assert.equal(label.stdout.trim(), 'pod/keep labeled (server dry run)');

    const now = await env.agent.client.getPod('default', 'keep');
    assert.equal(now.metadata.deletionTimestamp, undefined);
    assert.equal(now.metadata.labels?.tier, undefined);
    assert.equal(now.metadata.uid, before.metadata.uid);
  });

  test('secrets: create, apply and delete dry runs store nothing', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const created = await env.kubectl([
      'create',
      'secret',
      'generic',
      'dry-s',
      '--from-literal=k=v',
      '--dry-run=server',
    ]);
    assert.equal(created.status, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'secret/dry-s created (server dry run)');
    assert.ok(await absent(env.agent.client.getObject('Secret', 'default', 'dry-s')));

    assert.equal((await env.kubectl(['create', 'secret', 'generic', 's', '--from-literal=k=v'])).status, 0);
    const file = join(env.dir, 's.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: changed\n');
    const applied = await env.kubectl(['apply', '--dry-run=server', '-f', file]);
    assert.equal(applied.status, 0, applied.stderr);
    assert.match(applied.stdout, /secret\/s (configured|unchanged) \(server dry run\)/);
    const del = await env.kubectl(['delete', 'secret', 's', '--dry-run=server']);
    assert.equal(del.status, 0, del.stderr);
    const s = (await env.agent.client.getObject('Secret', 'default', 's')) as Secret;
    assert.equal(Buffer.from(s.data!.k!, 'base64').toString(), 'v');
  });

  test('namespaces: create, label and delete dry runs run the checks and change nothing', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const ns = await env.kubectl(['create', 'namespace', 'dry-ns', '--dry-run=server']);
    assert.equal(ns.status, 0, ns.stderr);
    assert.equal(ns.stdout.trim(), 'namespace/dry-ns created (server dry run)');
    const got = await env.kubectl(['get', 'namespace', 'dry-ns']);
    assert.match(got.stderr, /namespaces "dry-ns" not found/);

    assert.equal((await env.kubectl(['create', 'namespace', 'real-ns'])).status, 0);
    const label = await env.kubectl(['label', 'namespace', 'real-ns', 'team=a', '--dry-run=server']);
    assert.equal(label.stdout.trim(), 'namespace/real-ns labeled (server dry run)', label.stderr);
    // kubectl delete puts dryRun in the DeleteOptions body, not the query.
    const del = await env.kubectl(['delete', 'namespace', 'real-ns', '--dry-run=server']);
    assert.equal(del.stdout.trim(), 'namespace "real-ns" deleted (server dry run)', del.stderr);
    const after = await env.kubectl([
      'get',
      'namespace',
      'real-ns',
      '-o',
      'jsonpath={.status.phase} {.metadata.labels.team}',
    ]);
    assert.equal(after.stdout.trim(), 'Active');
    // The checks still run: `default` may not be deleted, dry run or not.
    const forbidden = await env.kubectl(['delete', 'namespace', 'default', '--dry-run=server']);
    assert.notEqual(forbidden.status, 0);
    assert.match(forbidden.stderr, /namespaces "default" is forbidden: this namespace may not be deleted/);
  });

  test('claims: a dry-run create stores nothing and binds nothing', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const file = join(env.dir, 'pvc.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: dry-pvc\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Mi\n',
    );
    const r = await env.kubectl(['create', '--dry-run=server', '-f', file, '-o', 'jsonpath={.spec.storageClassName}']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'standard', 'DefaultStorageClass admission ran');
    const got = await env.kubectl(['get', 'pvc', 'dry-pvc']);
    assert.match(got.stderr, /persistentvolumeclaims "dry-pvc" not found/);
  });

  test('a write the agent cannot dry-run is refused, not made; an unknown dryRun value is Invalid', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const node = (await env.kubectl(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const label = await env.kubectl(['label', 'node', node, 'dry=run', '--dry-run=server']);
    assert.notEqual(label.status, 0);
    assert.match(label.stderr, /dryRun is not supported by minikubelet for PATCH on nodes; nothing was changed/);
    const labels = await env.kubectl(['get', 'node', node, '-o', 'jsonpath={.metadata.labels.dry}']);
    assert.equal(labels.stdout, '');

    const raw = await env.agent.client.sendRaw('POST', '/api/v1/namespaces/default/secrets?dryRun=Some', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }),
      contentType: 'application/json',
    });
    assert.equal(raw.status, 422);
    assert.match(
      ((await raw.json()) as { message: string }).message,
      /^CreateOptions\.meta\.k8s\.io "" is invalid: dryRun: Unsupported value: \[\]string\{"Some"\}: supported values: "All"$/,
    );
  });
});
