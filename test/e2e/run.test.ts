// `minikubelet run -f`: foreground, live status, exit code from the pods' outcome,
// clean teardown on Ctrl-C.
import { describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, docker, waitFor } from '../harness/agent.js';

const BIN = new URL('../../cmd/minikubelet.js', import.meta.url).pathname;

function podFile(dir: string, name: string, restartPolicy: string, command: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: run-test\nspec:\n  restartPolicy: ${restartPolicy}\n  containers:\n  - name: main\n    image: ${BUSYBOX}\n    command: ["sh", "-c", ${JSON.stringify(command)}]\n`,
  );
  return file;
}

const left = (name: string) =>
  docker.listContainers({
    all: true,
    filters: { label: [`io.kubernetes.pod.name=${name}`, 'io.kubernetes.pod.namespace=run-test'] },
  });

describe('minikubelet run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-run-'));

  test('a pod that completes: status lines, exit 0, nothing left', async () => {
    const r = spawnSync(
      process.execPath,
      [BIN, 'run', '-f', podFile(dir, 'once', 'Never', 'echo done'), '--root-dir', dir],
      { encoding: 'utf8', timeout: 90_000 },
    );
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /once\s+0\/1\s+Completed/);
    assert.match(r.stdout, /Started container main/);
    assert.deepEqual(await left('once'), []);
  });

  test('a pod that fails: exit 1', () => {
    const r = spawnSync(
      process.execPath,
      [BIN, 'run', '-f', podFile(dir, 'fails', 'Never', 'exit 4'), '--root-dir', dir],
      { encoding: 'utf8', timeout: 90_000 },
    );
    assert.equal(r.status, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /fails\s+0\/1\s+Error/);
  });

  test('Ctrl-C tears a running pod down gracefully', async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'run',
        '-f',
        podFile(dir, 'forever', 'Always', "trap 'echo got TERM; exit 0' TERM; while true; do sleep 1; done"),
        '--root-dir',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await waitFor('Running line', () => /forever\s+1\/1\s+Running/.test(out), 60_000);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 130, out);
    assert.match(out, /Killing.*Stopping container main/);
    assert.deepEqual(await left('forever'), []);
    rmSync(dir, { recursive: true, force: true });
  });
});
