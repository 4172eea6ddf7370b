// Fuzz against a real agent: ≥1,000 generated and mutated manifests through the API,
// ~300 more in a manifests directory read at start. The agent stays up, answers each
// with 2xx or a Status (4xx, message set; never 5xx, never a hang), and no container
// exists for a rejected input once the accepted pods are deleted.
import { describe, test, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { rawApiRequest } from '../../harness/raw-request.js';
import { decodeManifests } from '../../../src/apis/core/decode.js';
import { admitObject } from '../../../src/apis/core/admit.js';
import { ManifestFuzzer, type FuzzInput } from '../../fuzz/manifests.js';

const SEED = Number(process.env.MKL_FUZZ_SEED) || 424_242;
const API_INPUTS = 1000;
const FILE_INPUTS = 300;
/** Accepted pods start containers: a few prove the path, more only cost time. */
const MAX_VALID_PODS = 12;
const POD_NAME_LABEL = 'io.kubernetes.pod.name';

/** Would admission accept it? (Generated inputs that are valid pods are rationed.) */
function validPod(input: FuzzInput): boolean {
  const docs = decodeManifests(input.text);
  return docs.some((d) => {
    if (d.object === undefined || d.kind !== 'Pod') return false;
    try {
      admitObject(d.object, { namespace: 'default' });
      return true;
    } catch {
      return false;
    }
  });
}

/** The next input, replaced while it is a valid pod past the ration. */
function nextInput(fz: ManifestFuzzer, i: number, valid: { count: number }): FuzzInput {
  for (let tries = 0; ; tries++) {
    const input = fz.next(i * 100 + tries);
    if (!validPod(input)) return input;
    if (valid.count < MAX_VALID_PODS) {
      valid.count++;
      return input;
    }
  }
}

function assertStatus(status: number, body: unknown, what: string): void {
  if (status >= 200 && status < 300) return;
  assert.ok(status >= 400 && status < 500, `${what}: answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  const s = body as { kind?: string; code?: number; message?: string };
  assert.equal(s.kind, 'Status', `${what}: not a Status: ${String(body).slice(0, 200)}`);
  assert.equal(s.code, status, what);
  assert.ok(typeof s.message === 'string' && s.message.length > 0, `${what}: empty message`);
}

describe(`fuzz: the agent survives bad manifests (seed ${SEED})`, () => {
  const agents: TestAgent[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const a of agents) await a.cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test(
    `${API_INPUTS} inputs through the API: 2xx or a 4xx Status each, nothing left of the rejected`,
    { timeout: 240_000 },
    async () => {
      const agent = await startTestAgent();
      agents.push(agent);
      const fz = new ManifestFuzzer(SEED, 'fz');
      const valid = { count: 0 };
      const accepted = new Set<string>();
      const rejected = new Set<string>();
      for (let i = 0; i < API_INPUTS; i++) {
        const input = nextInput(fz, i, valid);
        const path = `/api/v1/namespaces/default/${input.resource}`;
        const r = await rawApiRequest(agent, 'POST', path, { body: input.text, contentType: input.contentType });
        assertStatus(r.status, r.body, input.what);
        const name = (r.body as { metadata?: { name?: string } }).metadata?.name;
        if (r.status < 300 && input.resource === 'pods' && name) {
          accepted.add(name);
          await agent.client.deletePod('default', name, 0);
        } else if (input.name) rejected.add(input.name);
        if (i % 50 === 49)
          assert.ok(Array.isArray(await agent.client.listPods('default')), `alive after ${input.what}`);
      }
      assert.ok(
        accepted.size > 0 && rejected.size > API_INPUTS / 2,
        `accepted ${accepted.size}, rejected ${rejected.size}`,
      );
      await waitFor('accepted pods gone', async () => (await agent.client.listPods('default')).length === 0, 90_000);
      const left = (await agent.containers())
        .map((c) => c.Labels[POD_NAME_LABEL])
        .filter((n) => n && rejected.has(n) && !accepted.has(n));
      assert.deepEqual(left, [], `containers of rejected inputs (seed ${SEED})`);
    },
  );

  test(
    `${FILE_INPUTS} fuzzed files in the manifests dir: the agent starts, serves and runs the valid ones`,
    { timeout: 180_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mkl-fuzz-manifests-'));
      dirs.push(dir);
      const fz = new ManifestFuzzer(SEED + 1, 'fzf');
      const valid = { count: 0 };
      const validNames: string[] = [];
      const inputNames: string[] = [];
      for (let i = 0; i < FILE_INPUTS; i++) {
        const input = nextInput(fz, i, valid);
        if (input.name) inputNames.push(input.name);
        if (validPod(input) && input.name) validNames.push(input.name);
        writeFileSync(
          join(dir, `m${String(i).padStart(3, '0')}.${input.contentType === 'application/yaml' ? 'yaml' : 'json'}`),
          input.text,
        );
      }
      const agent = await startTestAgent({ manifestsDir: dir, nodeName: 'fuzz-node' });
      agents.push(agent);
      const running = (await agent.client.listPods()).map((p) => p.metadata.name ?? '');
      // Static pods are named <name>-<node>: every valid file is there, and nothing that was not in a file.
      const fromFiles = new Set(inputNames.map((n) => `${n}-fuzz-node`));
      for (const n of validNames)
        assert.ok(running.includes(`${n}-fuzz-node`), `static pod ${n} missing (seed ${SEED + 1})`);
      for (const n of running) assert.ok(fromFiles.has(n), `unexpected pod ${n}`);
      await waitFor('a valid static pod ran', async () =>
        (await agent.client.listPods()).some((p) => ['Succeeded', 'Failed', 'Running'].includes(p.status?.phase ?? '')),
      );
    },
  );
});
