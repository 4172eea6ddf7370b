// The wait vocabulary of PodContainer, in testcontainers' idiom (Wait.forLogMessage,
// Wait.forHealthCheck… → Wait.forPodReady, forPhase, forContainerLog, forProbe): each
// strategy is a predicate over the pod's API view, polled until it holds, it can no longer
// hold (the pod ended), or its startup timeout passes. A timeout's error carries the pod's
// status and events, which is what one reads first when a manifest does not come up.
import type { ContainerStatus, Pod, PodPhase } from '../apis/core/types.js';

/** What a strategy may look at: the pod as the API shows it, and a container's log. */
export interface WaitContext {
  pod(): Promise<Pod>;
  logs(container: string): Promise<string>;
}

/** `met`: done; `impossible`: the pod ended in a way that can never satisfy it (with why). */
export type WaitResult = { met: true } | { met: false; impossible?: string };

export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

export abstract class PodWaitStrategy {
  protected startupTimeoutMs: number | undefined;
  abstract readonly description: string;

  /** The time to wait before start() fails (default 60 s, or the PodContainer's withStartupTimeout). */
  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    return this;
  }
  /** This strategy's own timeout, if one was set. */
  get timeoutMs(): number | undefined {
    return this.startupTimeoutMs;
  }
  abstract check(ctx: WaitContext): Promise<WaitResult>;
}

const MET: WaitResult = { met: true };
const NOT_YET: WaitResult = { met: false };

function ended(pod: Pod, unless?: PodPhase): string | undefined {
  const phase = pod.status?.phase;
  if ((phase === 'Succeeded' || phase === 'Failed') && phase !== unless) return `the pod's phase is ${phase}`;
  return undefined;
}

function statuses(pod: Pod): ContainerStatus[] {
  const s = pod.status;
  return [
    ...(s?.initContainerStatuses ?? []),
    ...(s?.containerStatuses ?? []),
    ...(s?.ephemeralContainerStatuses ?? []),
  ];
}

class PodReady extends PodWaitStrategy {
  readonly description = 'the pod to be Ready';
  async check(ctx: WaitContext): Promise<WaitResult> {
    const pod = await ctx.pod();
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return MET;
    const why = ended(pod);
    return why ? { met: false, impossible: why } : NOT_YET;
  }
}

class Phase extends PodWaitStrategy {
  readonly description: string;
  constructor(readonly phase: PodPhase) {
    super();
    this.description = `phase ${phase}`;
  }
  async check(ctx: WaitContext): Promise<WaitResult> {
    const pod = await ctx.pod();
    if (pod.status?.phase === this.phase) return MET;
    const why = ended(pod, this.phase);
    return why ? { met: false, impossible: why } : NOT_YET;
  }
}

class ContainerLog extends PodWaitStrategy {
  readonly description: string;
  constructor(
    readonly container: string,
    readonly message: string | RegExp,
    readonly times: number,
  ) {
    super();
    this.description = `${times > 1 ? `${times} times ` : ''}${String(message)} in the log of container "${container}"`;
  }
  async check(ctx: WaitContext): Promise<WaitResult> {
    const pod = await ctx.pod();
    // Before the container first started the log endpoint answers an error: not yet.
    const text = await ctx.logs(this.container).catch(() => '');
    if (count(text, this.message) >= this.times) return MET;
    const why = ended(pod);
    // An ended pod's log is complete: if the text is not there now, it never will be.
    return why && text !== '' ? { met: false, impossible: why } : NOT_YET;
  }
}

function count(text: string, m: string | RegExp): number {
  if (typeof m === 'string') return text.split('\n').filter((l) => l.includes(m)).length;
  const flags = m.flags.includes('g') ? m.flags : `${m.flags}g`;
  return [...text.matchAll(new RegExp(m.source, flags))].length;
}

/** startup: the container's startup probe passed (status.started); readiness: it is ready. */
export type ProbeKind = 'startup' | 'readiness';

class Probe extends PodWaitStrategy {
  readonly description: string;
  constructor(
    readonly container: string,
    readonly kind: ProbeKind,
  ) {
    super();
    this.description = `the ${kind} probe of container "${container}" to succeed`;
  }
  async check(ctx: WaitContext): Promise<WaitResult> {
    const pod = await ctx.pod();
    const s = statuses(pod).find((c) => c.name === this.container);
    if (s && (this.kind === 'startup' ? s.started === true : s.ready)) return MET;
    if (s?.state.terminated && ended(pod))
      return { met: false, impossible: `container "${this.container}" terminated` };
    const why = ended(pod);
    return why ? { met: false, impossible: why } : NOT_YET;
  }
}

class Predicate extends PodWaitStrategy {
  constructor(
    readonly description: string,
    readonly test: (pod: Pod) => boolean,
  ) {
    super();
  }
  async check(ctx: WaitContext): Promise<WaitResult> {
    return this.test(await ctx.pod()) ? MET : NOT_YET;
  }
}

class All extends PodWaitStrategy {
  readonly description: string;
  constructor(readonly strategies: PodWaitStrategy[]) {
    super();
    this.description = strategies.map((s) => s.description).join(' and ');
  }
  async check(ctx: WaitContext): Promise<WaitResult> {
    for (const s of this.strategies) {
      const r = await s.check(ctx);
      if (!r.met) return r;
    }
    return MET;
  }
}

/** Named like testcontainers' Wait; import it as PodWait next to testcontainers' own. */
export const Wait = {
  /** The pod's Ready condition is True (every container ready: readiness probes passed). */
  forPodReady: (): PodWaitStrategy => new PodReady(),
  /** status.phase reaches the given phase (e.g. 'Succeeded' for a run-to-completion pod). */
  forPhase: (phase: PodPhase): PodWaitStrategy => new Phase(phase),
  /** The text (a line containing it) or regular expression appears `times` times in the container's log. */
  forContainerLog: (container: string, message: string | RegExp, times = 1): PodWaitStrategy =>
    new ContainerLog(container, message, times),
  /** The container's readiness (default) or startup probe succeeded. */
  forProbe: (container: string, kind: ProbeKind = 'readiness'): PodWaitStrategy => new Probe(container, kind),
  /** Any condition on the pod, described for the timeout's message. */
  forPredicate: (description: string, test: (pod: Pod) => boolean): PodWaitStrategy => new Predicate(description, test),
  /** Every strategy holds (checked in order). */
  forAll: (strategies: PodWaitStrategy[]): PodWaitStrategy => new All(strategies),
};
export { Wait as PodWait };

/**
 * Polls the strategy until it holds; an Error with the pod's status and events (from
 * `describe`) when it cannot hold or the timeout passes.
 */
export async function waitUntil(
  strategy: PodWaitStrategy,
  ctx: WaitContext,
  o: { timeoutMs: number; podRef: string; describe: () => Promise<string>; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const r = await strategy.check(ctx);
    if (r.met) return;
    const reason = r.impossible ?? (Date.now() >= deadline ? `timed out after ${o.timeoutMs} ms` : undefined);
    if (reason !== undefined) {
      const details = await o.describe().catch((err: unknown) => `(cannot read the pod: ${String(err)})`);
      throw new Error(`PodContainer: waiting for ${strategy.description} of pod ${o.podRef}: ${reason}\n${details}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 200));
  }
}
