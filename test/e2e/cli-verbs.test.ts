// minikubelet's own exec, port-forward, create secret, label and annotate against a real
// agent, the way a user without kubectl runs them: the CLI in a child process (spawned
// asynchronously: the agent answers from this process), found through the agent's kubeconfig.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { BUSYBOX, startTestAgent, type TestAgent, waitFor } from '../harness/agent.js';
import { Terminal } from '../harness/terminal.js';
import { which } from '../harness/which.js';

const BIN = new URL('../../cmd/minikubelet.js', import.meta.url).pathname;
const NS = 'default';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('minikubelet exec, port-forward, create secret, label', () => {
  let agent: TestAgent;
  const children: ChildProcess[] = [];
  const terminals: Terminal[] = [];
  /** The kubeconfig goes right after the verb: whatever follows `--` is exec's command. */
  const args = ([verb, ...rest]: string[]) => [BIN, verb!, '--kubeconfig', agent.kubelet.kubeconfigPath!, ...rest];

  /** The CLI in a child process; `input` is its stdin (a pipe, closed after it). */
  const cli = (verbArgs: string[], input = ''): Promise<Result> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args(verbArgs), { stdio: ['pipe', 'pipe', 'pipe'] });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });

  before(async () => {
    agent = await startTestAgent();
    await agent.client.createPod(NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'box', labels: { tier: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            imagePullPolicy: 'Never',
            command: [
              'sh',
              '-c',
              'mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 80 -h /www',
            ],
          },
          { name: 'side', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'] },
        ],
      },
    });
    await waitFor(
      'box Running',
      async () => (await agent.client.getPod(NS, 'box')).status?.phase === 'Running',
      60_000,
    );
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const t of terminals) t.kill();
    await agent?.cleanup();
  });

  test('exec -- echo hi prints hi; the default container is named on stderr', async () => {
    const r = await cli(['exec', 'box', '--', 'echo', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.stderr, 'Defaulted container "app" out of: app, side\n');
    const side = await cli(['exec', 'box', '-c', 'side', '--', 'sh', '-c', 'echo out; echo err >&2']);
    assert.deepEqual([side.code, side.stdout, side.stderr], [0, 'out\n', 'err\n']);
  });

  test('exec propagates the exit code as kubectl does', async () => {
    const r = await cli(['exec', 'box', '-c', 'app', '--', 'sh', '-c', 'exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, 'command terminated with exit code 3\n');
  });

  test('exec -i: piped stdin reaches the command and its EOF ends it', async () => {
    const r = await cli(['exec', '-i', 'box', '-c', 'app', '--', 'sh', '-c', 'cat; echo done'], 'line one\nline two\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'line one\nline two\ndone\n');
  });

  test('exec refusals: no --, a container that does not exist', async () => {
    const old = await cli(['exec', 'box', 'ls']);
    assert.equal(old.code, 1);
    assert.match(old.stderr, /exec \[POD\] \[COMMAND\] is not supported anymore/);
    const nope = await cli(['exec', 'box', '-c', 'nope', '--', 'true']);
    assert.equal(nope.code, 1);
    assert.match(nope.stderr, /container nope is not valid for pod box/);
  });

  test(
    'exec -it in a terminal: a shell, sized to the terminal, exit code propagated',
    { skip: !which('tmux') && 'no tmux' },
    async () => {
      const t = Terminal.start(
        `${process.execPath} ${args(['exec', '-it', 'box', '-c', 'app', '--', 'sh']).join(' ')}`,
        {
          width: 90,
          height: 30,
        },
      );
      terminals.push(t);
      await t.waitForScreen(/^\/ # ?$/m);
      t.type('echo $((6*7)); stty size\r');
      await t.waitForScreen(/^42\s*\n30 90\s*$/m);
      t.type('exit 4\r');
      assert.equal(await t.exitCode(), 4, t.screen());
    },
  );

  test('port-forward carries HTTP to the pod; an error is reported per connection', async () => {
    const child = spawn(process.execPath, args(['port-forward', 'pod/box', ':80', ':81']), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const port = (remote: number) =>
      waitFor(
        `Forwarding line for ${remote}`,
        () => new RegExp(`Forwarding from 127\\.0\\.0\\.1:(\\d+) -> ${remote}\\n`).exec(out)?.[1],
      );
    const [p80, p81] = [await port(80), await port(81)];
    const get = () => fetch(`http://127.0.0.1:${p80}/`, { headers: { connection: 'close' } }).then((r) => r.text());
    assert.deepEqual(await Promise.all([get(), get()]), ['hello-from-pod\n', 'hello-from-pod\n'], out);
    // Nothing listens on 81: that connection fails, is reported, and forwarding goes on.
    await fetch(`http://127.0.0.1:${p81}/`).then(
      (r) => r.text(),
      () => undefined,
    );
    await waitFor('the error to be reported', () => /an error occurred forwarding \d+ -> 81: .*ECONNREFUSED/.test(out));
    assert.equal(await get(), 'hello-from-pod\n', out);
    assert.equal(child.exitCode, null, out);
    child.kill('SIGINT');
    const code = await new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', r)));
    assert.equal(code, 0, out);
  });

  test('create secret docker-registry builds the dockerconfigjson kubectl builds; the password is not printed', async () => {
    const r = await cli([
      'create',
      'secret',
      'docker-registry',
      'regcred',
      '--docker-server=registry.example.com',
      '--docker-username=jane',
      '--docker-password=s3cr3t-pw',
      '--docker-email=jane@example.com',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'secret/regcred created\n');
    const s = (await agent.client.getObject('Secret', NS, 'regcred')) as {
      type?: string;
      data?: Record<string, string>;
    };
    assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
    assert.deepEqual(JSON.parse(Buffer.from(s.data!['.dockerconfigjson']!, 'base64').toString()), {
      auths: {
        'registry.example.com': {
          username: 'jane',
          password: 's3cr3t-pw',
          email: 'jane@example.com',
          auth: Buffer.from('jane:s3cr3t-pw').toString('base64'),
        },
      },
    });
    const again = await cli([
      'create',
      'secret',
      'docker-registry',
      'regcred',
      '--docker-username=jane',
      '--docker-password=s3cr3t-pw',
    ]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'error: failed to create secret secrets "regcred" already exists\n');
    assert.doesNotMatch(again.stdout + again.stderr + r.stderr, /s3cr3t-pw/);
  });

  test('create secret generic from literals', async () => {
    const r = await cli(['create', 'secret', 'generic', 'plain', '--from-literal=user=bob', '--from-literal=pw=a=b']);
    assert.equal(r.code, 0, r.stderr);
    const s = (await agent.client.getObject('Secret', NS, 'plain')) as { type?: string; data?: Record<string, string> };
    assert.equal(s.type, 'Opaque');
    assert.deepEqual(s.data, {
      user: Buffer.from('bob').toString('base64'),
      pw: Buffer.from('a=b').toString('base64'),
    });
  });

  test('label: add, refuse to overwrite, --overwrite, remove with k-', async () => {
    const labels = async () => (await agent.client.getPod(NS, 'box')).metadata.labels ?? {};
    const add = await cli(['label', 'pod', 'box', 'env=dev']);
    assert.deepEqual([add.code, add.stdout], [0, 'pod/box labeled\n'], add.stderr);
    assert.deepEqual(await labels(), { tier: 'web', env: 'dev' });

    const refused = await cli(['label', 'pod/box', 'tier=api']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, "error: 'tier' already has a value (web), and --overwrite is false\n");
    assert.equal((await labels()).tier, 'web');

    const over = await cli(['label', '--overwrite', 'pod', 'box', 'tier=api']);
    assert.deepEqual([over.code, over.stdout], [0, 'pod/box labeled\n'], over.stderr);
    const removed = await cli(['label', 'pod', 'box', 'env-']);
    assert.deepEqual([removed.code, removed.stdout], [0, 'pod/box labeled\n'], removed.stderr);
    assert.deepEqual(await labels(), { tier: 'api' });

    const annotated = await cli(['annotate', 'pod', 'box', 'note=hello world']);
    assert.deepEqual([annotated.code, annotated.stdout], [0, 'pod/box annotated\n'], annotated.stderr);
    assert.equal((await agent.client.getPod(NS, 'box')).metadata.annotations?.note, 'hello world');
  });
});
