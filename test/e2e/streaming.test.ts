// exec, attach, cp, run -it --rm and port-forward with the real kubectl against an
// in-process agent: the WebSocket channel protocol and SPDY port-forwarding end to end,
// interactive sessions typed into a real terminal (tmux).
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startTestAgent, type TestAgent, waitFor } from '../harness/agent.js';
import { Terminal } from '../harness/terminal.js';
import { which } from '../harness/which.js';

const NS = 'default';
const KUBECTL = which('kubectl');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('kubectl streaming: exec, attach, cp, run -it, port-forward', { skip: !KUBECTL && 'no kubectl' }, () => {
  let agent: TestAgent;
  const dir = mkdtempSync(join(tmpdir(), 'mkl-stream-'));
  const children: ChildProcess[] = [];
  const terminals: Terminal[] = [];
  let base: string[];

  /** kubectl with the agent's kubeconfig and a fresh cache; async, the agent runs in this process. */
  const kubectl = (args: string[], input?: string): Promise<Result> =>
    new Promise((resolve) => {
      const child = spawn(KUBECTL!, [...base, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.stdin.end(input);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  /** The kubectl command line for a terminal. */
  const line = (args: string) => `${KUBECTL} ${base.join(' ')} ${args}`;

  before(async () => {
    agent = await startTestAgent();
    base = ['--kubeconfig', agent.kubelet.kubeconfigPath!, '--cache-dir', join(dir, 'cache')];
    await agent.client.createPod(NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'box' },
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
          {
            name: 'side',
            image: BUSYBOX,
            imagePullPolicy: 'Never',
            env: [{ name: 'WHO', value: 'side' }],
            command: ['sleep', '3600'],
          },
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
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const t of terminals) t.kill();
    await agent?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('exec -- ls / prints the root directory; -c picks the container', async () => {
    const ls = await kubectl(['exec', 'box', '-c', 'app', '--', 'ls', '/']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^bin$/m);
    const side = await kubectl(['exec', 'box', '-c', 'side', '--', 'sh', '-c', 'echo $WHO; echo err >&2']);
    assert.equal(side.code, 0, side.stderr);
    assert.equal(side.stdout, 'side\n');
    assert.equal(side.stderr, 'err\n');
  });

  test('exec propagates the exit code', async () => {
    const r = await kubectl(['exec', 'box', '-c', 'app', '--', 'sh', '-c', 'exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /command terminated with exit code 3/);
  });

  test('exec -i: piped stdin reaches the process and its EOF ends it', async () => {
    const r = await kubectl(['exec', '-i', 'box', '-c', 'app', '--', 'cat'], 'hi\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
  });

  test('exec into a container that does not exist is refused', async () => {
    const r = await kubectl(['exec', 'box', '-c', 'nope', '--', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /container nope is not valid for pod box/);
  });

  test('exec -it: an interactive shell in a terminal, sized, exit code propagated', async () => {
    const t = Terminal.start(line('exec -it box -c app -- sh'), { width: 100, height: 40 });
    terminals.push(t);
    await t.waitForScreen(/^\/ # ?$/m);
    t.type('echo $((6*7)); stty size\r');
    await t.waitForScreen(/^42\s*\n40 100\s*$/m);
    t.type('exit 5\r');
    assert.equal(await t.exitCode(), 5, t.screen());
  });

  test('exec -it: Ctrl-D ends the shell', async () => {
    const t = Terminal.start(line('exec -it box -c side -- sh'));
    terminals.push(t);
    await t.waitForScreen(/^\/ # ?$/m);
    t.key('C-d');
    assert.equal(await t.exitCode(), 0, t.screen());
  });

  test('cp copies a file into the pod and back', async () => {
    const src = join(dir, 'file.txt');
    const content = `copied ${'x'.repeat(5000)}\n`;
    writeFileSync(src, content);
    const put = await kubectl(['cp', src, 'box:/tmp/file.txt', '-c', 'app']);
    assert.equal(put.code, 0, put.stderr);
    const cat = await kubectl(['exec', 'box', '-c', 'app', '--', 'cat', '/tmp/file.txt']);
    assert.equal(cat.stdout, content);
    const back = join(dir, 'back.txt');
    const get = await kubectl(['cp', 'box:/tmp/file.txt', back, '-c', 'app']);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(readFileSync(back, 'utf8'), content);
  });

  /** kubectl port-forward to a pod port on a local port kubectl picks; resolves once it listens. */
  const portForward = async (remote: number, env: NodeJS.ProcessEnv = {}) => {
    const child = spawn(KUBECTL!, [...base, 'port-forward', 'pod/box', `:${remote}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    children.push(child);
    const log = { out: '' };
    const collect = (d: Buffer) => {
      log.out += d.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const re = new RegExp(`Forwarding from 127\\.0\\.0\\.1:(\\d+) -> ${remote}`);
    const m = await waitFor('Forwarding line', () => re.exec(log.out) ?? undefined);
    return { child, log, url: `http://127.0.0.1:${m[1]}/` };
  };

  for (const [transport, env] of [
    ['SPDY inside WebSocket', {}],
    // kubectl's switch back to the older transport: plain SPDY on the upgraded connection.
    ['plain SPDY', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ] as const) {
    test(`port-forward (${transport}) carries HTTP over two concurrent connections`, async () => {
      const pf = await portForward(80, env);
      const get = () => fetch(pf.url, { headers: { connection: 'close' } }).then((r) => r.text());
      assert.deepEqual(await Promise.all([get(), get()]), ['hello-from-pod\n', 'hello-from-pod\n'], pf.log.out);
      assert.equal(await get(), 'hello-from-pod\n');
      pf.child.kill('SIGTERM');
    });
  }

  test('port-forward to a closed port: kubectl reports the error, the agent stays healthy', async () => {
    const pf = await portForward(81);
    await fetch(pf.url).then(
      (r) => r.text(),
      () => undefined,
    );
    await waitFor('kubectl to report the error', () => /error forwarding port 81 to pod/.test(pf.log.out));
    assert.match(pf.log.out, /ECONNREFUSED/);
    // kubectl gives up on the pod ("lost connection to pod"); the agent goes on serving.
    const code = await new Promise((r) =>
      pf.child.exitCode !== null ? r(pf.child.exitCode) : pf.child.once('exit', r),
    );
    assert.equal(code, 1, pf.log.out);
    const exec = await kubectl(['exec', 'box', '-c', 'app', '--', 'echo', 'alive']);
    assert.equal(exec.stdout, 'alive\n');
  });

  test('attach -it to a container with a TTY', async () => {
    await agent.client.createPod(NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'shell' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'app', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh'], stdin: true, tty: true },
        ],
      },
    });
    await waitFor('shell Running', async () => (await agent.client.getPod(NS, 'shell')).status?.phase === 'Running');
    const t = Terminal.start(line('attach -it shell -c app'));
    terminals.push(t);
    await t.waitForScreen(/If you don't see a command prompt, try pressing enter/);
    t.type('\r');
    t.type('echo $((6*7))\r');
    await t.waitForScreen(/^42\s*$/m);
    t.type('exit 0\r');
    assert.equal(await t.exitCode(), 0, t.screen());
    await waitFor(
      'shell Succeeded',
      async () => (await agent.client.getPod(NS, 'shell')).status?.phase === 'Succeeded',
    );
  });

  test('run -it --rm: output shown, pod deleted, exit code is the container exit code', async () => {
    const t = Terminal.start(
      line(
        `run -it --rm tmp --image=${BUSYBOX} --image-pull-policy=Never --restart=Never -- sh -c 'read x; echo hello-$x; exit 4'`,
      ),
    );
    terminals.push(t);
    await t.waitForScreen(/If you don't see a command prompt, try pressing enter/, 60_000);
    t.type('there\r');
    await t.waitForScreen(/hello-there/);
    assert.equal(await t.exitCode(), 4, t.screen());
    assert.match(t.screen(), /pod "tmp" deleted/);
    await waitFor('tmp gone', async () => !(await agent.client.listPods(NS)).some((p) => p.metadata.name === 'tmp'));
  });
});
