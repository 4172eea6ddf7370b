// The package as a separate project gets it: `npm pack` this repository, install the
// tarball (and vitest) into a fresh project from the npm registry, then run there a
// node:test file and a vitest file that import PodContainer from 'minikubelet' and start
// a pod on an embedded agent. The examples are the README's (Testing pod manifests: PodContainer).
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUSYBOX } from '../../harness/agent.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
/** vitest 3.2 supports Node 20 (vitest 4 wants Node ≥ 20.19 and vite 7). */
const VITEST = 'vitest@3.2.4';
/** A consumer's TypeScript, to check the package's declarations the way a user's project reads them. */
const TYPESCRIPT = ['typescript@5.9.3', '@types/node@^20.19.0'];

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      TESTCONTAINERS_HOST_OVERRIDE: 'localhost',
    };
    // The runner's own variables would make the child `node --test` report to our runner.
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      out += String(d);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const POD = `{
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hello' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: '${BUSYBOX}',
      command: ['sh', '-c', 'mkdir -p /www && echo "hi $WHO" > /www/index.html && exec httpd -f -p 8080 -h /www'],
      env: [{ name: 'WHO', value: 'nobody' }], ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }] } }`;

const NODE_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodContainer, Wait } from 'minikubelet';

test('a pod from the packed package', async () => {
  const pod = await new PodContainer(${POD})
    .withEnvironment('web', { WHO: 'node:test' })
    .withWaitStrategy(Wait.forPodReady())
    .start();
  try {
    const res = await fetch(\`http://\${pod.getHost()}:\${pod.getMappedPort(8080)}/\`);
    assert.equal(await res.text(), 'hi node:test\\n');
    assert.equal((await pod.exec('web', ['cat', '/www/index.html'])).exitCode, 0);
  } finally {
    await pod.stop();
  }
});
`;

const VITEST_TEST = `import { expect, test } from 'vitest';
import { PodContainer, Wait } from 'minikubelet';

test('a pod from the packed package, with vitest and await using', async () => {
  await using pod = await new PodContainer(${POD})
    .withEnvironment('web', { WHO: 'vitest' })
    .withWaitStrategy(Wait.forPodReady())
    .start();
  const res = await fetch(\`http://\${pod.getHost()}:\${pod.getMappedPort(8080)}/\`);
  expect(await res.text()).toBe('hi vitest\\n');
  expect(pod.status?.phase).toBe('Running');
}, 120_000);
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    lib: ['ES2023', 'esnext.disposable'],
    types: ['node'],
    noEmit: true,
    skipLibCheck: true,
  },
  files: ['pod.vitest.test.ts', 'typed.ts'],
};

/** Uses the declared API with types a user would write; tsc must accept it. */
const TYPED = `import { PodContainer, Wait, PodWait, type StartedPodContainer, type ExecResult, type Pod } from 'minikubelet';
export async function run(): Promise<void> {
  await using pod: StartedPodContainer = await new PodContainer('pod.yaml')
    .withEnvironment('web', { A: 'b' })
    .withWaitStrategy(Wait.forAll([PodWait.forPodReady(), Wait.forContainerLog('web', /up/, 2).withStartupTimeout(5000)]))
    .withStartupTimeout(30_000)
    .start();
  const r: ExecResult = await pod.exec('web', ['true']);
  const p: Pod = pod.pod;
  const port: number = pod.getMappedPort(8080);
  console.log(r.exitCode, p.metadata.name, port, pod.ip, pod.status?.phase);
}
`;

describe('the packed package in a separate project', () => {
  let dir: string;
  before(
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'pc-packed-'));
      // --ignore-scripts: `prepare` would rebuild dist while other tests read it; the caller built it.
      const pack = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], REPO);
      assert.equal(pack.code, 0, pack.out);
      const tarball = (JSON.parse(pack.out.slice(pack.out.indexOf('['))) as { filename: string }[])[0]!.filename;
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'uses-minikubelet', private: true, type: 'module' }, null, 2),
      );
      const install = await run(
        'npm',
        ['install', '--no-audit', '--no-fund', join(dir, tarball), VITEST, ...TYPESCRIPT],
        dir,
      );
      assert.equal(install.code, 0, install.out);
      writeFileSync(join(dir, 'pod.test.mjs'), NODE_TEST);
      writeFileSync(join(dir, 'pod.vitest.test.ts'), VITEST_TEST);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    },
    { timeout: 240_000 },
  );
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('node:test imports PodContainer from minikubelet and starts a pod', { timeout: 120_000 }, async () => {
    const r = await run(process.execPath, ['--test', 'pod.test.mjs'], dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /# pass 1/);
  });

  test('vitest runs the same with `await using`', { timeout: 180_000 }, async () => {
    const r = await run(join(dir, 'node_modules/.bin/vitest'), ['run', 'pod.vitest.test.ts'], dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /1 passed/);
  });

  test("a consumer's tsc accepts the declared API (and rejects a misuse)", async () => {
    writeFileSync(join(dir, 'typed.ts'), TYPED);
    const ok = await run(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], dir);
    assert.equal(ok.code, 0, ok.out);
    writeFileSync(join(dir, 'typed.ts'), `${TYPED}\nnew PodContainer('x').withEnvironment('web', { A: 1 });\n`);
    const bad = await run(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], dir);
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, /typed\.ts.*Type 'number' is not assignable to type 'string'/);
  });

  test('the CLI bin still works from the installed package', async () => {
    const r = await run(join(dir, 'node_modules/.bin/minikubelet'), ['--help'], dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /serve/);
  });

  test('the package declares its types', async () => {
    const r = await run(
      process.execPath,
      ['-e', "const p=require('minikubelet/package.json'); console.log(p.types, p.exports['.'].types)"],
      dir,
    );
    assert.equal(r.out.trim(), 'dist/src/index.d.ts ./dist/src/index.d.ts');
  });
});
