// The set-up most e2e files share: one agent for the describe block, kubectl pointed
// at it, and a scratch directory; started in before(), removed in after().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeletOptions } from '../../src/options.js';
import { startTestAgent, type TestAgent } from './agent.js';
import { type Kubectl, kubectlFor } from './kubectl.js';
import { after, before } from './node-test.js';

export interface KubectlAgent {
  /** The running agent (from the block's before() on). */
  readonly agent: TestAgent;
  /** kubectl for it; undefined when kubectl is not installed (tests skip with NO_KUBECTL). */
  readonly kubectl: Kubectl | undefined;
  /** A scratch directory for manifests, removed with the agent. */
  readonly dir: string;
}

/** Call inside a describe(): registers the block's before() and after() hooks. */
export function kubectlAgent(overrides: Partial<KubeletOptions> = {}, prefix = 'mkl-e2e-'): KubectlAgent {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let agent: TestAgent | undefined;
  let kubectl: Kubectl | undefined;
  before(async () => {
    agent = await startTestAgent(overrides);
    kubectl = kubectlFor(agent);
  });
  after(async () => {
    await agent?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get agent() {
      if (!agent) throw new Error("the agent starts in the block's before() hook");
      return agent;
    },
    get kubectl() {
      return kubectl;
    },
    dir,
  };
}
