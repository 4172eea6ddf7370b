// Issue #16 §3: docs/pod-networking.md is run, command by command, in one shell (so its
// variables carry over), with the real kubectl and the minikubelet CLI against a real
// agent; each command must succeed and print what the guide says it prints.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestAgent, type TestAgent } from '../harness/agent.js';
import { consoleSteps, matchOutput, substitute } from '../harness/console-doc.js';
import { which } from '../harness/which.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const BIN = new URL('../../cmd/minikubelet.js', import.meta.url).pathname;
const RC = '__minikubelet_guide_rc__';

/** One bash for the whole guide: a command's output is what it prints before the marker line. */
class Shell {
  readonly #child: ChildProcessWithoutNullStreams;
  #buffer = '';
  #waiter: (() => void) | undefined;

  constructor(env: NodeJS.ProcessEnv) {
    this.#child = spawn('bash', ['--norc', '--noprofile'], { cwd: REPO, env });
    this.#child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.#buffer += d;
      this.#waiter?.();
    });
  }

  async run(command: string, timeoutMs: number): Promise<{ rc: number; output: string }> {
    this.#buffer = '';
    this.#child.stdin.write(`${command} 2>&1 </dev/null; echo "${RC}$?"\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = new RegExp(`${RC}(\\d+)\\n`).exec(this.#buffer);
      if (m) return { rc: Number(m[1]), output: this.#buffer.slice(0, m.index) };
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; output so far:\n${this.#buffer}`);
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
        setTimeout(resolve, 500).unref();
      });
    }
  }

  close(): void {
    this.#child.kill('SIGKILL');
  }
}

describe('docs/pod-networking.md', () => {
  let agent: TestAgent;
  let shell: Shell;
  let binDir: string;
  const kubectl = which('kubectl');

  before(async () => {
    agent = await startTestAgent();
    binDir = mkdtempSync(join(tmpdir(), 'mkl-guide-bin-'));
    writeFileSync(join(binDir, 'minikubelet'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(binDir, 'minikubelet'), 0o755);
    shell = new Shell({
      ...process.env,
      KUBECONFIG: agent.kubelet.kubeconfigPath!,
      PATH: `${binDir}:${process.env.PATH ?? ''}`,
    });
  });
  after(async () => {
    shell?.close();
    await agent.cleanup();
    rmSync(binDir, { recursive: true, force: true });
  });

  test('every command prints what the guide shows', { skip: kubectl ? false : 'kubectl is not on PATH' }, async () => {
    const steps = consoleSteps(readFileSync(join(REPO, 'docs', 'pod-networking.md'), 'utf8'));
    assert.ok(steps.length >= 30, `only ${steps.length} commands found`);
    const captured = new Map<string, string>();
    for (const step of steps) {
      const command = substitute(step.command, captured);
      const { rc, output } = await shell.run(command, 120_000);
      const where = `docs/pod-networking.md:${step.line}: $ ${command}`;
      assert.equal(rc, 0, `${where}\nexited ${rc}:\n${output}`);
      assert.ok(
        matchOutput(step.expected, output, captured),
        `${where}\nexpected:\n${step.expected.join('\n')}\ngot:\n${output}`,
      );
    }
  });
});
