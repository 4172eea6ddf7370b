// The peer of the start cases (issue #17): `podman kube play` on the same manifests as the
// agent, timed as the whole CLI invocation (what a user waits for), `podman kube down`
// between runs. Podman is optional: without it the bench says so and measures the rest.
// Facts this relies on are in ../shared/docs/environment.md ("podman"): podman refuses its
// default ulimits here (CONTAINERS_CONF with explicit ones), images come from the local
// engine (`docker save IMG | podman load`, once per run).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './results.js';
import { median, percentile, ratio, round } from './stats.js';

export const PEER_NAME = 'podman kube play';

/** What the run knows about its peer; written to latest.json as `peer`. */
export interface PeerInfo {
  name: string;
  available: boolean;
  version?: string;
  /** Why the peer was not measured (not installed, --no-peer, failed to prepare). */
  reason?: string;
}

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, stdin?: NodeJS.ReadableStream): Promise<Exec> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { env, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    p.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    if (stdin && p.stdin) stdin.pipe(p.stdin);
    p.on('error', (err) => resolve({ code: -1, stdout, stderr: String(err), ms: performance.now() - t0 }));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** The last meaningful line of podman's stderr, for a note (podman prints the cause last). */
export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 300);
}

/** containers.conf with the ulimits podman accepts on this machine (its defaults are refused). */
export const CONTAINERS_CONF = '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n';

export interface PeerRun {
  ms: number;
  ok: boolean;
  error?: string;
}

export class PodmanPeer {
  private readonly dir = mkdtempSync(join(tmpdir(), 'mklbench-podman-'));
  private readonly env: NodeJS.ProcessEnv;
  /** Manifests played and not yet brought down (removed at dispose, also after a failure). */
  private readonly live = new Set<string>();
  private seq = 0;

  private constructor(
    readonly info: PeerInfo,
    private readonly bin: string,
  ) {
    // An explicit CONTAINERS_CONF in the environment wins: the caller knows their podman.
    this.env = { ...process.env };
    if (!this.env.CONTAINERS_CONF) {
      const conf = join(this.dir, 'containers.conf');
      writeFileSync(conf, CONTAINERS_CONF);
      this.env.CONTAINERS_CONF = conf;
    }
  }

  /** A peer when podman runs here; otherwise the reason, for the output and latest.json. */
  static async detect(bin = 'podman'): Promise<PodmanPeer | PeerInfo> {
    const probe = new PodmanPeer({ name: PEER_NAME, available: true }, bin);
    const v = await run(bin, ['version', '--format', '{{.Client.Version}}'], probe.env);
    if (v.code !== 0) {
      probe.dispose();
      const reason =
        v.code === -1 ? `${bin} is not installed (not on PATH)` : `${bin} version failed: ${lastErrorLine(v.stderr)}`;
      return { name: PEER_NAME, available: false, reason };
    }
    probe.info.version = v.stdout.trim();
    return probe;
  }

  /** Loads each image into podman once, from the local Docker engine, unless podman has it. */
  async loadImages(images: string[]): Promise<void> {
    for (const img of new Set(images)) {
      if ((await run(this.bin, ['image', 'exists', img], this.env)).code === 0) continue;
      const save = spawn('docker', ['save', img], { stdio: ['ignore', 'pipe', 'ignore'] });
      const r = await run(this.bin, ['load'], this.env, save.stdout);
      if (r.code !== 0) throw new Error(`podman load of ${img} failed: ${lastErrorLine(r.stderr)}`);
    }
  }

  /** `podman kube play` of one manifest; ms is the whole CLI invocation. */
  async play(manifest: object): Promise<{ run: PeerRun; file: string }> {
    const file = join(this.dir, `pod-${this.seq++}.json`);
    writeFileSync(file, JSON.stringify(manifest));
    this.live.add(file);
    const r = await run(this.bin, ['kube', 'play', file], this.env);
    return {
      file,
      run: { ms: r.ms, ok: r.code === 0, ...(r.code === 0 ? {} : { error: lastErrorLine(r.stderr) }) },
    };
  }

  /** `podman kube down` (not timed): removes the pod and its containers. */
  async down(file: string): Promise<void> {
    await run(this.bin, ['kube', 'down', file], this.env);
    this.live.delete(file);
  }

  /** Pods a bench run that died left in podman (its pid is gone): removed, their count returned. */
  async removeStale(alive: (pid: number) => boolean): Promise<number> {
    const r = await run(this.bin, ['pod', 'ps', '--format', '{{.Name}}'], this.env);
    const stale = stalePeerPods(r.code === 0 ? r.stdout : '', alive);
    if (stale.length) await run(this.bin, ['pod', 'rm', '-f', ...stale], this.env);
    return stale.length;
  }

  async downAll(): Promise<void> {
    for (const f of [...this.live]) await this.down(f);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Peer pods are named `mklbench-<pid>-pm-…` (test/bench/cases.ts): those whose bench process is gone. */
export function stalePeerPods(names: string, alive: (pid: number) => boolean): string[] {
  return names
    .split('\n')
    .map((n) => n.trim())
    .filter((n) => {
      const m = /^mklbench-(\d+)-pm-/.exec(n);
      return !!m && !alive(Number(m[1]));
    });
}

/** The peer's goal for a start case (issue #17): 1 container ≤ 1.0×, several ≤ 0.75×. */
export function peerGoal(containers: number): number {
  return containers > 1 ? 0.75 : 1.0;
}

/**
 * A start row with the peer's figures beside the agent's: peer_ms (median of the successful
 * runs), peer_p90_ms, peer_ratio = agent ÷ peer, the goal and whether it was met. Failed peer
 * runs are counted and their last error kept in peer_note; any failure leaves peer_met unset
 * (no verdict), and with no successful run there is no ratio.
 */
export function withPeer(row: BenchRow, runs: PeerRun[], goal: number): BenchRow {
  const ok = runs.filter((r) => r.ok).map((r) => r.ms);
  const failed = runs.filter((r) => !r.ok);
  const out: BenchRow = { ...row, peer: PEER_NAME, peer_n: ok.length, peer_goal: `≤ ${goal.toFixed(2)}× peer` };
  if (ok.length) {
    const p = median(ok);
    out.peer_ms = round(p);
    out.peer_p90_ms = round(percentile(ok, 90));
    if (row.agent_ms !== undefined) {
      out.peer_ratio = ratio(row.agent_ms, p);
      // A verdict only when every peer run worked: beating a peer that fails is not meeting the goal.
      if (!failed.length) out.peer_met = out.peer_ratio <= goal;
    }
  }
  if (failed.length) {
    const after = round(median(failed.map((r) => r.ms)));
    out.peer_note = `${failed.length} of ${runs.length} podman runs failed (median ${after} ms until the exit): ${failed.at(-1)!.error ?? 'non-zero exit'}`;
  }
  return out;
}

/** A start row when the peer was not measured: says why, in the row itself. */
export function withoutPeer(row: BenchRow, reason: string): BenchRow {
  return { ...row, peer: PEER_NAME, peer_note: `not measured: ${reason}` };
}
