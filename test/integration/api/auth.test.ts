// The API is root on the host: only holders of the agent's credentials may use it.
// Real agent, real kubectl, raw HTTPS, and an unprivileged user (issue #11 §1).
import { describe, test, before, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify, parse } from 'yaml';
import { startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { which } from '../../harness/which.js';
import { ApiClient } from '../../../src/client/api-client.js';
import { resolveKubeconfig } from '../../../src/client/kubeconfig.js';
import { startKubelet } from '../../../src/kubelet.js';
import { silentLogger } from '../../../src/util/logger.js';

const CLI = fileURLToPath(new URL('../../../cmd/minikubelet.js', import.meta.url));
const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'auth-probe' },
  spec: { containers: [{ name: 'a', image: 'x' }] },
};

interface Answer {
  status: number;
  body: { kind?: string; reason?: string; code?: number; message?: string } & Record<string, unknown>;
  text: string;
}

/** One raw request (node:http or node:https), with any headers, so tests can send what a browser or attacker would. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {},
): Promise<Answer> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {}, ...(opts.ca ? { ca: opts.ca } : {}) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          let body: Answer['body'] = {};
          try {
            body = JSON.parse(text) as Answer['body'];
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop: the agent under test serves from this process. */
function run(file: string, args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      resolve({ status: err ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
    });
    // No input: kubectl without credentials would otherwise wait for a typed username.
    child.stdin?.end();
  });
}

async function kubectl(kubeconfig: string, ...args: string[]): Promise<Ran> {
  const cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  try {
    return await run(which('kubectl')!, ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args]);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

function cli(...args: string[]): Promise<Ran> {
  return run(process.execPath, [CLI, ...args]);
}

/** A copy of the agent's kubeconfig with the user's token replaced (undefined = removed). */
function withToken(a: TestAgent, token: string | undefined): string {
  const doc = parse(readFileSync(a.kubelet.kubeconfigPath!, 'utf8'));
  doc.users[0].user = token === undefined ? {} : { token };
  const p = join(a.options.rootDir, `kubeconfig-${token ?? 'none'}`);
  writeFileSync(p, stringify(doc), { mode: 0o600 });
  return p;
}

describe('authenticated HTTPS (default)', () => {
  let a: TestAgent;
  let ca: string;
  before(async () => {
    a = await startTestAgent();
    ca = resolveKubeconfig({ kubeconfig: a.kubelet.kubeconfigPath! }).caPem!;
  });
  after(() => a?.cleanup());

  test('the agent serves HTTPS and its kubeconfig carries the CA and a token', () => {
    const kc = resolveKubeconfig({ kubeconfig: a.kubelet.kubeconfigPath! });
    assert.match(kc.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(kc.caPem!, /^-----BEGIN CERTIFICATE-----/);
    assert.match(kc.token!, /^[A-Za-z0-9_-]{43}$/);
  });

  test('real kubectl: works with the kubeconfig; Unauthorized without or with a wrong token', async (t) => {
    if (!which('kubectl')) {
      t.skip('kubectl not found on PATH: install kubectl (Debian: kubernetes-client) to run this test');
      return;
    }
    const ok = await kubectl(a.kubelet.kubeconfigPath!, 'get', 'po');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr + ok.stdout, /No resources found in default namespace/);
    const wrong = await kubectl(withToken(a, 'wrong-token'), 'get', 'po');
    assert.notEqual(wrong.status, 0);
    // kubectl's words for a 401: the second when it fails already at discovery (an empty cache).
    assert.match(
      wrong.stderr,
      /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/,
    );
    // With no credentials at all, kubectl answers a 401 by asking for a username (as with
    // any API server); with no input it gives up.
    const none = await kubectl(withToken(a, undefined), 'get', 'po');
    assert.notEqual(none.status, 0);
    assert.match(none.stderr, /^error: EOF$/m);
    assert.doesNotMatch(none.stdout, /NAME/);
  });

  test('raw HTTPS: 401 Status without a token and with a wrong one; health paths answer without one', async () => {
    const url = a.kubelet.url!;
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: 'Bearer wrong' },
      { Authorization: `Basic ${'x'.repeat(8)}` },
    ]) {
      const r = await raw(`${url}/api/v1/namespaces/default/pods`, { headers, ca });
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await raw(`${url}${p}`, { ca });
      assert.equal(r.status, 200, p);
      assert.equal(r.text, 'ok');
    }
    // The version reveals the build: it needs the token too.
    assert.equal((await raw(`${url}/version`, { ca })).status, 401);
    // Without our CA, TLS itself fails: there is no plain-HTTP fallback on the port.
    await assert.rejects(raw(`${url}/healthz`), /self-signed|unable to verify|certificate/i);
    await assert.rejects(raw(`${url.replace('https:', 'http:')}/healthz`));
  });

  test('an unprivileged user cannot create a pod, nor read the credentials', async () => {
    const url = a.kubelet.url!;
    const post = await run('runuser', [
      '-u',
      'nobody',
      '--',
      'curl',
      '-sk',
      `${url}/api/v1/namespaces/default/pods`,
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      '-d',
      JSON.stringify(POD),
    ]);
    assert.equal(post.status, 0, post.stderr);
    assert.equal(JSON.parse(post.stdout).code, 401, post.stdout);
    assert.equal(a.kubelet.node.listPods('default').length, 0);
    const pki = join(a.options.rootDir, 'pki');
    for (const f of [a.kubelet.kubeconfigPath!, join(pki, 'token'), join(pki, 'ca.key'), join(pki, 'apiserver.key')]) {
      const r = await run('runuser', ['-u', 'nobody', '--', 'cat', f]);
      assert.notEqual(r.status, 0, `nobody read ${f}`);
      assert.match(r.stderr, /Permission denied/);
    }
    assert.equal(statSync(pki).mode & 0o777, 0o700);
    assert.equal(statSync(a.kubelet.kubeconfigPath!).mode & 0o777, 0o600);
    for (const f of readdirSync(pki)) assert.equal(statSync(join(pki, f)).mode & 0o777, 0o600, f);
  });

  test('a browser-style request is refused even with the token: foreign Origin 403, text/plain 415', async () => {
    const url = `${a.kubelet.url!}/api/v1/namespaces/default/pods`;
    const auth = { Authorization: `Bearer ${resolveKubeconfig({ kubeconfig: a.kubelet.kubeconfigPath! }).token}` };
    const origin = await raw(url, { ca, headers: { ...auth, Origin: 'https://evil.example' } });
    assert.equal(origin.status, 403);
    assert.equal(origin.body.reason, 'Forbidden');
    const plain = await raw(url, {
      ca,
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: JSON.stringify(POD),
    });
    assert.equal(plain.status, 415);
    assert.equal(a.kubelet.node.listPods('default').length, 0);
  });

  test('minikubelet kubeconfig prints the path, --raw the content', async () => {
    const path = await cli('kubeconfig', '--root-dir', a.options.rootDir);
    assert.equal(path.status, 0, path.stderr);
    assert.equal(path.stdout, `${a.kubelet.kubeconfigPath}\n`);
    const content = await cli('kubeconfig', '--root-dir', a.options.rootDir, '--raw');
    assert.equal(content.status, 0, content.stderr);
    assert.equal(content.stdout, readFileSync(a.kubelet.kubeconfigPath!, 'utf8'));
    const none = await cli('kubeconfig', '--root-dir', join(a.options.rootDir, 'nowhere'));
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no kubeconfig at .*start the agent with "minikubelet serve"/);
  });

  test('rotate-credentials: the old token is refused at once, the rewritten kubeconfig works', async () => {
    const before = resolveKubeconfig({ kubeconfig: a.kubelet.kubeconfigPath! });
    const r = await cli('rotate-credentials', '--root-dir', a.options.rootDir);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes(before.token!));
    const after = resolveKubeconfig({ kubeconfig: a.kubelet.kubeconfigPath! });
    assert.notEqual(after.token, before.token);
    const old = ApiClient.fromKubeconfig(before);
    const fresh = ApiClient.fromKubeconfig(after);
    try {
      await assert.rejects(old.listPods('default'), { code: 'Unauthorized' });
      assert.deepEqual(await fresh.listPods('default'), []);
    } finally {
      await old.close();
      await fresh.close();
    }
  });
});

test('credentials are reused on restart: same CA, same token, clients keep working', async () => {
  const a = await startTestAgent();
  try {
    const first = resolveKubeconfig({ kubeconfig: a.kubelet.kubeconfigPath! });
    await a.kubelet.stop();
    const again = await startKubelet(a.options, { log: silentLogger() });
    try {
      const second = resolveKubeconfig({ kubeconfig: again.kubeconfigPath! });
      assert.equal(second.caPem, first.caPem);
      assert.equal(second.token, first.token);
      // The old client's CA still verifies the new server (new port, same CA).
      const c = new ApiClient(second.server, { caPem: first.caPem!, token: first.token! });
      assert.deepEqual(await c.listPods('default'), []);
      await c.close();
    } finally {
      await again.stop();
    }
  } finally {
    await a.cleanup();
  }
});

test('listen on 0.0.0.0 with TLS works; the certificate also covers this host', async () => {
  const a = await startTestAgent({ listen: '0.0.0.0:0', tlsSans: ['node.test'] });
  try {
    assert.match(a.kubelet.url!, /^https:\/\/127\.0\.0\.1:/);
    assert.deepEqual(await a.client.listPods('default'), []);
    const sans = JSON.parse(readFileSync(join(a.options.rootDir, 'pki', 'apiserver.sans.json'), 'utf8'));
    assert.ok(sans.dns.includes('node.test') && sans.dns.includes('localhost'));
  } finally {
    await a.cleanup();
  }
});

test('serve refuses plain HTTP on a non-loopback address, with a clear message', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mkl-auth-'));
  try {
    const r = await cli('serve', '--root-dir', root, '--listen', '0.0.0.0:0', '--insecure-http');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0 without TLS: the API can run privileged pods/);
    assert.deepEqual(readdirSync(root), [], 'nothing was started or written');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

describe('plain HTTP (--insecure-http, loopback only)', () => {
  let a: TestAgent;
  let url: string;
  let token: string;
  before(async () => {
    a = await startTestAgent({ insecureHttp: true });
    url = `${a.kubelet.url!}/api/v1/namespaces/default/pods`;
    token = resolveKubeconfig({ kubeconfig: a.kubelet.kubeconfigPath! }).token!;
  });
  after(() => a?.cleanup());

  test('serves http:// and still needs the token; the client verbs work through the kubeconfig', async () => {
    assert.match(a.kubelet.url!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await raw(url)).status, 401);
    assert.deepEqual(await a.client.listPods('default'), []);
    const r = await cli('get', 'pods', '--kubeconfig', a.kubelet.kubeconfigPath!);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /No resources found in default namespace/);
  });

  test('a Host that is not loopback (DNS rebinding) is refused 403', async () => {
    for (const host of ['evil.example', `evil.example:${a.kubelet.url!.split(':').pop()}`, '127.0.0.1.nip.io']) {
      const r = await raw(url, { headers: { Host: host, Authorization: `Bearer ${token}` } });
      assert.equal(r.status, 403, host);
      assert.equal(r.body.reason, 'Forbidden');
    }
    const ok = await raw(url, { headers: { Host: 'localhost', Authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
  });

  test('a foreign Origin is refused 403; a loopback one is served', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    assert.equal((await raw(url, { headers: { ...auth, Origin: 'http://evil.example' } })).status, 403);
    assert.equal((await raw(url, { headers: { ...auth, Origin: 'null' } })).status, 403);
    assert.equal((await raw(url, { headers: { ...auth, Origin: 'http://localhost:8080' } })).status, 200);
  });

  test('a write with text/plain, a form type or no Content-Type is refused 415; JSON is created', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const body = JSON.stringify(POD);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const headers: Record<string, string> = { ...auth, ...(type ? { 'Content-Type': type } : {}) };
      const r = await raw(url, { method: 'POST', headers, body });
      assert.equal(r.status, 415, String(type));
      assert.equal(r.body.reason, 'UnsupportedMediaType');
    }
    assert.equal(a.kubelet.node.listPods('default').length, 0);
    const created = await raw(url, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        ...POD,
        spec: {
          containers: [{ name: 'a', image: 'minikubelet.local/busybox:1.35', command: ['true'] }],
          restartPolicy: 'Never',
        },
      }),
    });
    assert.equal(created.status, 201, created.text);
    await waitFor(
      'the pod to finish',
      async () => (await a.client.getPod('default', 'auth-probe')).status?.phase === 'Succeeded',
    );
    await a.client.deletePod('default', 'auth-probe', 0);
  });
});
