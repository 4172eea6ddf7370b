// Issue #14 §2, the service-account volume: a client inside a pod uses the API with the
// token the pod was given. An image holding the host's kubectl (a static Go binary, copied
// onto the local busybox image; no registry needed) runs in a pod created with kubectl;
// inside it, kubectl's in-cluster configuration (KUBERNETES_SERVICE_HOST/PORT, the mounted
// token, ca.crt and namespace; no flags) lists the pods of its namespace, and is refused
// anything else with the API server's Forbidden message.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { request } from 'node:https';
import { Readable } from 'node:stream';
import { BUSYBOX, docker, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor } from '../harness/kubectl.js';
import { which } from '../harness/which.js';
import { drainProgress } from '../../src/setup/progress.js';
import { tarPack } from '../../src/setup/tar.js';
import { decodeJwtUnverified } from '../../src/util/jwt.js';

const IMAGE = 'minikubelet-test/kubectl-in-pod:1.32';
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The real kubectl 1.32 binary: the Cloud SDK's dispatcher keeps it beside itself as kubectl.1.32. */
function kubectlBinary(): string | undefined {
  const found = which('kubectl');
  if (!found) return undefined;
  const real = realpathSync(found);
  const versioned = join(dirname(real), 'kubectl.1.32');
  return existsSync(versioned) ? versioned : real;
}

async function buildKubectlImage(binary: string): Promise<void> {
  const tar = tarPack([
    { type: 'file', name: 'Dockerfile', data: `FROM ${BUSYBOX}\nCOPY kubectl /usr/local/bin/kubectl\n` },
    { type: 'file', name: 'kubectl', mode: 0o755, data: readFileSync(binary) },
  ]);
  const stream = await docker.buildImage(Readable.from([tar]), { t: IMAGE, rm: true, forcerm: true });
  await drainProgress(docker, stream);
}

const podManifest = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${IMAGE}
    imagePullPolicy: Never
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
${extra}`;

/** GET the default namespace's pods with `token`, verifying the agent's certificate with its CA. */
function statusWithToken(agent: TestAgent, token: string): Promise<number> {
  const ca = readFileSync(join(agent.options.rootDir, 'pki', 'ca.crt'), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      `${agent.kubelet.url}/api/v1/namespaces/default/pods`,
      { headers: { authorization: `Bearer ${token}` }, ca },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const binary = kubectlBinary();

describe(
  'kubectl inside a pod, with its service-account token',
  { skip: binary ? false : 'kubectl not on PATH' },
  () => {
    let agent: TestAgent;
    let kubectl: Kubectl;
    before(async () => {
      await buildKubectlImage(binary!);
      agent = await startTestAgent();
      kubectl = kubectlFor(agent)!;
    });
    after(async () => {
      await agent?.cleanup();
      await docker
        .getImage(IMAGE)
        .remove({ force: true })
        .catch(() => undefined);
    });

    const inPod = (pod: string, cmd: string) => kubectl(['exec', pod, '--', 'sh', '-c', cmd], { timeoutMs: 90_000 });

    test('default SA and kube-root-ca.crt exist in every namespace, a new one included', async () => {
      const sa = await kubectl(['get', 'sa']);
      assert.equal(sa.status, 0, sa.stderr);
      assert.match(sa.stdout, /^NAME\s+SECRETS\s+AGE$/m);
      assert.match(sa.stdout, /^default\s+0\s+\S+$/m);
      assert.equal((await kubectl(['create', 'namespace', 'other'])).status, 0);
      await waitFor('default SA and root CA in the new namespace', async () => {
        const r = await kubectl(['get', 'sa,cm', '-n', 'other', '-o', 'name']);
        return r.stdout.includes('serviceaccount/default') && r.stdout.includes('configmap/kube-root-ca.crt');
      });
      // Deleted, they come back (the serviceaccounts controller and the root-ca-cert-publisher).
      const uidOf = async () => (await kubectl(['get', 'sa', 'default', '-o', 'jsonpath={.metadata.uid}'])).stdout;
      const before = await uidOf();
      assert.equal((await kubectl(['delete', 'sa', 'default'])).status, 0);
      assert.equal((await kubectl(['delete', 'cm', 'kube-root-ca.crt'])).status, 0);
      await waitFor('default SA re-created', async () => {
        const now = await uidOf();
        return now !== '' && now !== before;
      });
      await waitFor(
        'kube-root-ca.crt re-created',
        async () => (await kubectl(['get', 'cm', 'kube-root-ca.crt'])).status === 0,
      );
      const ca = await kubectl(['get', 'cm', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}']);
      assert.equal(ca.stdout, readFileSync(join(agent.options.rootDir, 'pki', 'ca.crt'), 'utf8'));
    });

    test('the pod gets the kube-api-access volume; kubectl in it lists its namespace and nothing more', async () => {
      const applied = await kubectl(['apply', '-f', '-'], { input: podManifest('kc') });
      assert.equal(applied.status, 0, applied.stderr);
      const spec = JSON.parse((await kubectl(['get', 'pod', 'kc', '-o', 'json'])).stdout) as {
        metadata: { uid: string };
        spec: {
          serviceAccountName: string;
          serviceAccount: string;
          volumes: { name: string; projected?: unknown }[];
          containers: { volumeMounts: { name: string; mountPath: string; readOnly: boolean }[] }[];
        };
      };
      assert.equal(spec.spec.serviceAccountName, 'default');
      assert.equal(spec.spec.serviceAccount, 'default');
      const vol = spec.spec.volumes.find((v) => /^kube-api-access-[a-z2-9]{5}$/.test(v.name));
      assert.ok(vol?.projected, JSON.stringify(spec.spec.volumes));
      assert.deepEqual(spec.spec.containers[0]!.volumeMounts, [{ name: vol.name, mountPath: SA_DIR, readOnly: true }]);
      await waitFor(
        'kc running',
        async () => (await agent.client.getPod('default', 'kc')).status?.phase === 'Running',
        60_000,
      );

      const files = await inPod('kc', `cat ${SA_DIR}/namespace; echo; cat ${SA_DIR}/ca.crt; cat ${SA_DIR}/token`);
      assert.equal(files.status, 0, files.stderr);
      const ca = readFileSync(join(agent.options.rootDir, 'pki', 'ca.crt'), 'utf8');
      const [ns, rest] = [files.stdout.split('\n')[0], files.stdout.slice(files.stdout.indexOf('\n') + 1)];
      assert.equal(ns, 'default');
      assert.ok(rest.startsWith(ca), 'ca.crt is the agent CA');
      const token = rest.slice(ca.length);
      const claims = decodeJwtUnverified(token) as {
        sub: string;
        aud: string[];
        exp: number;
        iat: number;
        'kubernetes.io': { namespace: string; pod: { name: string; uid: string }; serviceaccount: { name: string } };
      };
      assert.equal(claims.sub, 'system:serviceaccount:default:default');
      assert.equal(claims.exp - claims.iat, 3607);
      assert.deepEqual(claims['kubernetes.io'].pod, { name: 'kc', uid: spec.metadata.uid });
      assert.equal(claims['kubernetes.io'].serviceaccount.name, 'default');

      const env = await inPod('kc', 'echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT');
      assert.equal(
        env.stdout.trim(),
        `${(await agent.client.getPod('default', 'kc')).status?.hostIP}:${agent.kubelet.url!.split(':').at(-1)}`,
      );

      // A second pod to list, created by the admin.
      assert.equal((await kubectl(['apply', '-f', '-'], { input: podManifest('other-pod') })).status, 0);
      const list = await inPod('kc', '/usr/local/bin/kubectl get pods -o name');
      assert.equal(list.status, 0, list.stderr + list.stdout);
      assert.deepEqual(list.stdout.trim().split('\n').sort(), ['pod/kc', 'pod/other-pod']);

      const user = '"system:serviceaccount:default:default"';
      const otherNs = await inPod('kc', '/usr/local/bin/kubectl get pods -n other');
      assert.notEqual(otherNs.status, 0);
      assert.match(
        otherNs.stdout + otherNs.stderr,
        new RegExp(
          `Error from server \\(Forbidden\\): pods is forbidden: User ${user} cannot list resource "pods" in API group "" in the namespace "other"`,
        ),
      );
      const del = await inPod('kc', '/usr/local/bin/kubectl delete pod other-pod');
      assert.notEqual(del.status, 0);
      assert.match(
        del.stdout + del.stderr,
        new RegExp(
          `Error from server \\(Forbidden\\): pods "other-pod" is forbidden: User ${user} cannot delete resource "pods" in API group "" in the namespace "default"`,
        ),
      );
      const secrets = await inPod('kc', '/usr/local/bin/kubectl get secrets');
      assert.match(secrets.stdout + secrets.stderr, /secrets is forbidden: User .* cannot list resource "secrets"/);
      assert.equal((await kubectl(['get', 'pod', 'other-pod'])).status, 0, 'other-pod is still there');

      // The token works from outside the pod too, until its pod is gone: then it is refused (401).
      assert.equal(await statusWithToken(agent, token), 200);
      await kubectl(['delete', 'pod', 'kc', '--grace-period=1', '--wait=false']);
      await waitFor('kc gone', async () => (await kubectl(['get', 'pod', 'kc'])).status !== 0, 60_000);
      assert.equal(await statusWithToken(agent, token), 401);
      await kubectl(['delete', 'pod', 'other-pod', '--grace-period=1']);
    });

    test('automountServiceAccountToken: false gets no volume; a missing ServiceAccount is refused', async () => {
      const off = await kubectl(['apply', '-f', '-'], {
        input: podManifest('no-token', '  automountServiceAccountToken: false\n'),
      });
      assert.equal(off.status, 0, off.stderr);
      const vols = await kubectl(['get', 'pod', 'no-token', '-o', 'jsonpath={.spec.volumes}']);
      assert.equal(vols.stdout, '');
      const missing = await kubectl(['apply', '-f', '-'], {
        input: podManifest('robot', '  serviceAccountName: robot\n'),
      });
      assert.notEqual(missing.status, 0);
      assert.match(
        missing.stderr,
        /pods "robot" is forbidden: error looking up service account default\/robot: serviceaccount "robot" not found/,
      );
      assert.equal((await kubectl(['create', 'serviceaccount', 'robot'])).status, 0);
      const ok = await kubectl(['apply', '-f', '-'], { input: podManifest('robot', '  serviceAccountName: robot\n') });
      assert.equal(ok.status, 0, ok.stderr);
      // The ServiceAccount's own opt-out, applied from YAML.
      const quiet = await kubectl(['apply', '-f', '-'], {
        input: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: quiet\nautomountServiceAccountToken: false\n',
      });
      assert.equal(quiet.status, 0, quiet.stderr);
      assert.match(quiet.stdout, /serviceaccount\/quiet created/);
      const q = await kubectl(['apply', '-f', '-'], {
        input: podManifest('quiet-pod', '  serviceAccountName: quiet\n'),
      });
      assert.equal(q.status, 0, q.stderr);
      assert.equal((await kubectl(['get', 'pod', 'quiet-pod', '-o', 'jsonpath={.spec.volumes}'])).stdout, '');
      await kubectl(['delete', 'pod', 'no-token', 'robot', 'quiet-pod', '--grace-period=1']);
    });

    test('a hostNetwork pod reaches the API at the same address', async () => {
      const applied = await kubectl(['apply', '-f', '-'], { input: podManifest('hostnet', '  hostNetwork: true\n') });
      assert.equal(applied.status, 0, applied.stderr);
      await waitFor(
        'hostnet running',
        async () => (await agent.client.getPod('default', 'hostnet')).status?.phase === 'Running',
        60_000,
      );
      const list = await inPod('hostnet', '/usr/local/bin/kubectl get pods -o name');
      assert.equal(list.status, 0, list.stderr + list.stdout);
      assert.match(list.stdout, /^pod\/hostnet$/m);
      await kubectl(['delete', 'pod', 'hostnet', '--grace-period=1']);
    });

    test("the seed pod-example's init container reads the mounted namespace file", async () => {
      const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: pod-example
spec:
  restartPolicy: Never
  containers:
  - name: ubuntu
    image: ${BUSYBOX}
    command: ["echo"]
    args: ["Hello World"]
  initContainers:
  - name: init-myservice
    image: ${BUSYBOX}
    command: ['sh', '-c', "echo myservice.$(cat ${SA_DIR}/namespace).svc.cluster.local"]
`;
      assert.equal((await kubectl(['apply', '-f', '-'], { input: manifest })).status, 0);
      await waitFor(
        'pod-example done',
        async () => (await agent.client.getPod('default', 'pod-example')).status?.phase === 'Succeeded',
        60_000,
      );
      const logs = await kubectl(['logs', 'pod-example', '-c', 'init-myservice']);
      assert.equal(logs.stdout, 'myservice.default.svc.cluster.local\n');
    });
  },
);
