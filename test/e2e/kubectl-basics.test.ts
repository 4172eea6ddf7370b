// Real kubectl 1.32 against the agent for the everyday commands of issue #12, asserting on
// what kubectl prints and its exit codes as against a cluster: run, get (-w, -o yaml,
// -o jsonpath), describe with events, logs (-f, --previous, --since/--tail/--timestamps),
// wait (Ready, delete), delete (graceful, --force --grace-period=0, --wait=false, -f file),
// get events with a field selector, events --watch, and the Kubernetes URLs `-v=6` shows.
// Local images only (busybox's httpd stands in for nginx).
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { kubectlFor, NO_KUBECTL, spawnKubectl, type Kubectl } from '../harness/kubectl.js';
import { which } from '../harness/which.js';

// The stand-in for nginx: an HTTP server on port 80, plus one log line a second.
const NGINX = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels: { app: nginx }
spec:
  terminationGracePeriodSeconds: 3
  containers:
  - name: nginx
    image: ${BUSYBOX}
    imagePullPolicy: Never
    command: ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done & exec httpd -f -p 80"]
    ports: [{ containerPort: 80 }]
    readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 }
`;

// Exits 1 after a log line, so it restarts and has a previous instance.
const CRASHER = `apiVersion: v1
kind: Pod
metadata: { name: crasher }
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${BUSYBOX}
    imagePullPolicy: Never
    command: ["sh", "-c", "echo attempt at $(date +%s); sleep 1; exit 1"]
`;

/** RFC 3339 with nanoseconds, as the kubelet prefixes log lines with `timestamps=true`. */
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;

describe('kubectl: get, describe, logs, wait, delete, run, events', { skip: !which('kubectl') && NO_KUBECTL }, () => {
  let agent: TestAgent;
  let kubectl: Kubectl;
  let dir: string;

  const ok = async (args: string[]) => {
    const r = await kubectl(args);
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const gone = (name: string) =>
    agent.client.getPod('default', name).then(
      () => false,
      () => true,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mkl-kubectl-basics-'));
    agent = await startTestAgent();
    kubectl = kubectlFor(agent)!;
  });
  after(async () => {
    await agent?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('get po --watch shows the new pod reaching Running; wait --for=condition=Ready', async () => {
    const watch = spawnKubectl(kubectl, agent, ['get', 'po', '--watch']);
    try {
      // kubectl prints nothing for an empty list: wait until its watch is open on the agent.
      await waitFor('the get -w watch', () => agent.kubelet.openStreams() === 1);
      const r = await ok(['apply', '-f', file('nginx.yaml', NGINX)]);
      assert.match(r.stdout, /^pod\/nginx created$/m);
      const out = await watch.waitForOutput(/^nginx\s+0\/1\s+Running\s+0\s+/m);
      assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
      assert.match(out, /^nginx\s+0\/1\s+(Pending|ContainerCreating)\s+0\s+/m, 'the row before Running');
    } finally {
      await watch.stop();
    }
    const w = await ok(['wait', '--for=condition=Ready', 'pod/nginx', '--timeout=60s']);
    assert.equal(w.stdout.trim(), 'pod/nginx condition met');
  });

  test('run my-nginx-pod --port=80 creates a pod that runs', async () => {
    const r = await ok([
      'run',
      'my-nginx-pod',
      `--image=${BUSYBOX}`,
      '--port=80',
      '--image-pull-policy=Never',
      '--',
      'httpd',
      '-f',
      '-p',
      '80',
    ]);
    assert.equal(r.stdout.trim(), 'pod/my-nginx-pod created');
    const pod = await waitFor('my-nginx-pod running', async () => {
      const p = await agent.client.getPod('default', 'my-nginx-pod');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    assert.deepEqual(pod.metadata.labels, { run: 'my-nginx-pod' });
    assert.equal(pod.spec.containers[0]!.ports?.[0]?.containerPort, 80);
  });

  test('get po -o yaml and -o jsonpath print the pod and its IP', async () => {
    const nginx = await agent.client.getPod('default', 'nginx');
    const ip = nginx.status?.podIP;
    assert.ok(ip, 'nginx has a pod IP');
    const yaml = (await ok(['get', 'po', 'nginx', '-o', 'yaml'])).stdout;
    assert.match(yaml, /^apiVersion: v1$/m);
    assert.match(yaml, /^kind: Pod$/m);
    assert.match(yaml, /^ {2}name: nginx$/m);
    assert.match(yaml, /^ {2}phase: Running$/m);
    assert.match(yaml, new RegExp(`^ {2}podIP: ${ip.replaceAll('.', '\\.')}$`, 'm'));
    const one = (await ok(['get', 'po', 'nginx', '-o', 'jsonpath={.status.podIP}'])).stdout;
    assert.equal(one, ip);
    const all = (await ok(['get', 'po', '-o', 'jsonpath={.items[*].status.podIP}'])).stdout.split(' ');
    assert.equal(all.length, 2, `two pods, two IPs: ${all.join(' ')}`);
    assert.ok(all.includes(ip));
    for (const a of all) assert.match(a, /^\d+\.\d+\.\d+\.\d+$/);
  });

  test('describe po shows the pod and its events', async () => {
    const out = (await ok(['describe', 'po', 'nginx'])).stdout;
    assert.match(out, /^Name:\s+nginx$/m);
    assert.match(out, /^Status:\s+Running$/m);
    assert.match(out, /^Events:$/m);
    const events = out.slice(out.indexOf('Events:'));
    assert.match(events, /Type\s+Reason\s+Age\s+From\s+Message/);
    assert.match(
      events,
      /Normal\s+Pulled\s+.*kubelet\s+Container image "minikubelet\.local\/busybox:1\.35" already present/,
    );
    assert.match(events, /Normal\s+Created\s+.*kubelet\s+Created container: nginx/);
    assert.match(events, /Normal\s+Started\s+.*kubelet\s+Started container nginx/);
  });

  test('logs -f streams new lines; --since --tail --timestamps', async () => {
    const follow = spawnKubectl(kubectl, agent, ['logs', '-c', 'nginx', '-f', 'nginx']);
    try {
      // kubectl prints the log so far, then keeps the stream open: a line written later arrives.
      const sofar = await follow.waitForOutput(/tick \d+\n/);
      const last = Math.max(...[...sofar.matchAll(/tick (\d+)\n/g)].map((m) => Number(m[1])));
      await follow.waitForOutput(new RegExp(`tick ${Math.max(last + 2, 6)}\\n`));
    } finally {
      await follow.stop();
    }
    const lines = (await ok(['logs', 'nginx', '--since=1m', '--tail=5', '--timestamps'])).stdout.trimEnd().split('\n');
    assert.equal(lines.length, 5, lines.join('\n'));
    for (const l of lines) assert.match(l, new RegExp(`${RFC3339_NANO.source}tick \\d+$`));
  });

  test('logs --previous shows the instance before the restart', async () => {
    assert.match((await ok(['apply', '-f', file('crasher.yaml', CRASHER)])).stdout, /^pod\/crasher created$/m);
    await waitFor(
      'crasher restarted',
      async () =>
        ((await agent.client.getPod('default', 'crasher')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
    );
    const r = await ok(['logs', 'crasher', '--previous']);
    assert.match(r.stdout, /^attempt at \d+$/m);
  });

  test('get events --field-selector involvedObject.name lists only that object', async () => {
    const out = (await ok(['get', 'events', '--field-selector', 'involvedObject.name=nginx'])).stdout;
    const rows = out.trimEnd().split('\n');
    assert.match(rows[0]!, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.ok(rows.length > 3, out);
    for (const row of rows.slice(1)) assert.match(row, /\spod\/nginx\s/);
    assert.match(out, /Started\s+pod\/nginx\s+Started container nginx/);
  });

  test('events --watch prints the existing events, then live ones', async () => {
    const watch = spawnKubectl(kubectl, agent, ['events', '--watch']);
    try {
      await watch.waitForOutput(/Started\s+Pod\/nginx\s+Started container nginx/);
      await ok(['apply', '-f', file('late.yaml', CRASHER.replace('name: crasher', 'name: late'))]);
      await watch.waitForOutput(/Started\s+Pod\/late\s+Started container app/);
    } finally {
      await watch.stop();
    }
  });

  test('-v=6 shows the Kubernetes URLs', async () => {
    const get = await ok(['-v=6', 'get', 'po', 'nginx']);
    assert.match(get.stderr, /GET https?:\/\/[^/]+\/api\/v1\/namespaces\/default\/pods\/nginx 200 OK/);
    const exec = await ok(['-v=6', 'exec', 'nginx', '--', 'true']);
    assert.match(exec.stderr, /\/api\/v1\/namespaces\/default\/pods\/nginx\/exec\?command=true/);
    const logs = await ok(['-v=6', 'logs', 'nginx', '--tail=1']);
    assert.match(logs.stderr, /GET https?:\/\/[^/]+\/api\/v1\/namespaces\/default\/pods\/nginx\/log\?container=nginx/);
  });

  test('delete po waits for the graceful deletion; --grace-period', async () => {
    const r = await ok(['delete', 'po', 'my-nginx-pod', '--grace-period=2']);
    assert.equal(r.stdout.trim(), 'pod "my-nginx-pod" deleted');
    // kubectl returned only after the pod was gone (its DELETED watch event).
    assert.ok(await gone('my-nginx-pod'), 'gone when kubectl returns');
  });

  test('delete --wait=false returns at once; wait --for=delete waits for it', async () => {
    const r = await ok(['delete', 'po', 'nginx', '--wait=false']);
    assert.equal(r.stdout.trim(), 'pod "nginx" deleted');
    const p = await agent.client.getPod('default', 'nginx');
    assert.ok(p.metadata.deletionTimestamp, 'still terminating when kubectl returned');
    const w = await ok(['wait', '--for=delete', 'pod/nginx', '--timeout=60s']);
    assert.equal(w.stdout.trim(), 'pod/nginx condition met');
    assert.ok(await gone('nginx'));
  });

  test('delete --force --grace-period=0 warns and force-deletes', async () => {
    const r = await ok(['delete', 'po', 'late', '--force', '--grace-period=0']);
    assert.match(
      r.stderr,
      /Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated/,
    );
    assert.equal(r.stdout.trim(), 'pod "late" force deleted');
    assert.ok(await gone('late'));
  });

  test('delete -f file deletes what the file names', async () => {
    const r = await ok(['delete', '-f', join(dir, 'crasher.yaml')]);
    assert.equal(r.stdout.trim(), 'pod "crasher" deleted');
    assert.ok(await gone('crasher'));
    const again = await kubectl(['delete', '-f', join(dir, 'crasher.yaml')]);
    assert.equal(again.status, 1);
    assert.match(
      again.stderr,
      /Error from server \(NotFound\): error when deleting ".*crasher\.yaml": pods "crasher" not found/,
    );
  });
});
