// An in-memory ContainerRuntime for unit tests of the sync loop (the role of
// cri-dockerd's FakeDockerClient). It keeps Docker-like records — labels written by
// the real label code, engine states, RFC 3339 times with nanoseconds — and relists
// them the way runtime/relist.ts does, so syncPod sees what it would see on Docker.
//
// Tests can:
//  - read every call in `calls` (method + arguments, in order);
//  - make a container exit (`exit`), change state (`setState`), lose the sandbox;
//  - inject an error for the next call(s) of a method (`inject`, like FakeDockerClient.Errors);
//  - hold a call until they release it (`block`), to act while a sync is inside it;
//  - wait until nothing runs (`idle`): no call in flight but the blocked ones, and the
//    call log unchanged over a turn of the event loop. No timers are involved.
import type { VolumePayloads } from '../../src/runtime/projected-volumes.js';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ValidPod } from '../../src/apis/core/types.js';
import type { ContainerStreams, StreamRequest } from '../../src/container/streams.js';
import { containerLabels, DOCKER_TYPE_SANDBOX, LABEL, readLabels, sandboxLabels } from '../../src/runtime/labels.js';
import { containerName, sandboxName } from '../../src/runtime/naming.js';
import { timeKey } from '../../src/runtime/relist.js';
import type {
  ContainerRuntime,
  ContainerStateSummary,
  CreateContainerRequest,
  ExecResult,
  LogOptions,
  PullProgress,
  RuntimeContainer,
  RuntimeEvent,
  RuntimePodStatus,
  RuntimeSandbox,
  RuntimeState,
  EngineImage,
  EngineInfo,
} from '../../src/runtime/runtime.js';
import type { Clock } from '../../src/util/clock.js';

export type RuntimeMethod = keyof ContainerRuntime;

export interface RuntimeCall {
  method: RuntimeMethod;
  args: unknown[];
  /** Fake clock time of the call. */
  at: number;
}

/** One engine container (sandbox or not), as Docker would keep it. */
export interface FakeRecord {
  id: string;
  name: string;
  labels: Record<string, string>;
  sandbox: boolean;
  /** Docker's State.Status. */
  status: 'created' | 'running' | 'exited' | 'unknown';
  exitCode: number;
  error?: string;
  oomKilled?: boolean;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  image: string;
  ip?: string;
  /** The request a container was created from (not for sandboxes). */
  req?: CreateContainerRequest;
}

export interface Gate {
  /** Resolves with the call once it reached the gate (and waits there). */
  readonly entered: Promise<RuntimeCall>;
  /** Let the held call go on. */
  release(): void;
}

interface Injection {
  err: Error;
  times: number;
  match?: (...args: unknown[]) => boolean;
}

interface Block {
  match?: (...args: unknown[]) => boolean;
  hit?: (c: RuntimeCall) => void;
  wait: Promise<void>;
}

/** A block and the gate that releases it (FakeRuntime.block, holdSandboxStart). */
function newGate(match?: (...args: unknown[]) => boolean): { block: Block; gate: Gate } {
  let release!: () => void;
  const wait = new Promise<void>((r) => {
    release = r;
  });
  let hit!: (c: RuntimeCall) => void;
  const entered = new Promise<RuntimeCall>((r) => {
    hit = r;
  });
  return { block: { wait, hit, ...(match ? { match } : {}) }, gate: { entered, release } };
}

/** Exit code of a container stopped by the engine (SIGKILL after the grace, or SIGTERM handled as most images do). */
export const STOPPED_EXIT_CODE = 137;

export class FakeRuntime implements ContainerRuntime {
  readonly calls: RuntimeCall[] = [];
  readonly records = new Map<string, FakeRecord>();
  /** Images present locally; every image is present unless `allImagesPresent` is false. */
  readonly images = new Set<string>();
  allImagesPresent = true;
  /** Pod UIDs with volumes or per-pod directories (listPodLeftovers); removePod clears one. */
  readonly leftovers = new Set<string>();
  /** Result of exec calls (probes, hooks). */
  execResult: ExecResult = { exitCode: 0, output: '', timedOut: false };
  readonly #injections = new Map<RuntimeMethod, Injection[]>();
  readonly #blocks = new Map<RuntimeMethod, Block[]>();
  /** Sandboxes held between their creation and their start (blockSandboxStart), and start failures to inject. */
  readonly #sandboxStarts: { block?: Block; fail?: string }[] = [];
  readonly #listeners = new Set<(e: RuntimeEvent) => void>();
  #inFlight = 0;
  #held = 0;
  #seq = 0;
  #ip = 1;

  constructor(
    private readonly clock: Clock,
    readonly agentId = 'fakeagent',
  ) {}

  // ---- test controls ----

  /** The next `times` calls of `method` (matching `match`, if given) fail with `err`. */
  inject(
    method: RuntimeMethod,
    err: Error,
    opts: { times?: number; match?: (...args: unknown[]) => boolean } = {},
  ): void {
    const list = this.#injections.get(method) ?? [];
    list.push({ err, times: opts.times ?? 1, ...(opts.match ? { match: opts.match } : {}) });
    this.#injections.set(method, list);
  }

  /** Hold the next call of `method` (matching `match`) until the returned gate is released. */
  block(method: RuntimeMethod, match?: (...args: unknown[]) => boolean): Gate {
    const { block, gate } = newGate(match);
    const list = this.#blocks.get(method) ?? [];
    list.push(block);
    this.#blocks.set(method, list);
    return gate;
  }

  /**
   * Hold the next sandbox after its creation (whenCreated has been told its ID) and
   * before its start; `fail` makes that start fail instead, as a start refused by the
   * engine or a CNI ADD that failed.
   */
  holdSandboxStart(opts: { fail?: string } = {}): Gate {
    const { block, gate } = newGate();
    this.#sandboxStarts.push({ block, ...(opts.fail ? { fail: opts.fail } : {}) });
    return gate;
  }

  /** Wait at a block: counted as held (idle() does not wait for it), its gate told the call entered. */
  async #holdAt(b: Block, call: RuntimeCall): Promise<void> {
    this.#held++;
    b.hit?.(call);
    try {
      await b.wait;
    } finally {
      this.#held--;
    }
  }

  /** Calls of one method, in order. */
  callsOf(method: RuntimeMethod): RuntimeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Names of the containers created, in order (`createContainer` requests). */
  created(): string[] {
    return this.callsOf('createContainer').map((c) => (c.args[0] as CreateContainerRequest).container.name);
  }

  /** Resolves once no runtime call is in flight (blocked ones aside) and none was made during a turn. */
  async idle(maxTurns = 1000): Promise<void> {
    for (let i = 0; i < maxTurns; i++) {
      const before = this.calls.length;
      await new Promise((r) => setImmediate(r));
      if (this.calls.length === before && this.#inFlight === this.#held) return;
    }
    throw new Error('FakeRuntime.idle: still busy after many turns (a loop that never settles?)');
  }

  /** The newest record of a pod's container by name (not sandboxes). */
  container(uid: string, name: string): FakeRecord | undefined {
    return this.#podRecords(uid)
      .filter((r) => !r.sandbox && r.labels[LABEL.containerName] === name)
      .sort((a, b) => cmp(timeKey(b.createdAt), timeKey(a.createdAt)))[0];
  }

  /** The newest sandbox record of a pod. */
  sandboxOf(uid: string): FakeRecord | undefined {
    return this.#podRecords(uid)
      .filter((r) => r.sandbox)
      .sort((a, b) => readLabels(b.labels).attempt - readLabels(a.labels).attempt)[0];
  }

  /** Records of a pod in the engine (sandboxes and containers). */
  podRecords(uid: string): FakeRecord[] {
    return this.#podRecords(uid);
  }

  /** Running containers (not sandboxes) of a pod, by name. */
  running(uid: string): string[] {
    return this.#podRecords(uid)
      .filter((r) => !r.sandbox && r.status === 'running')
      .map((r) => r.labels[LABEL.containerName]!)
      .sort();
  }

  /** The process of a running container ends with `code` (Docker `die`). */
  exit(id: string, code: number, opts: { oomKilled?: boolean } = {}): void {
    const r = this.#get(id);
    if (r.status !== 'running') throw new Error(`fake: container ${id} is ${r.status}, not running`);
    r.status = 'exited';
    r.exitCode = code;
    r.finishedAt = this.#time();
    delete r.ip;
    if (opts.oomKilled) r.oomKilled = true;
    this.#emit(r, 'die');
  }

  /**
   * dockerd's `oom` event for a container that already exited without the OOMKilled flag
   * (it came after the exit); the relist then reads it OOM-killed, as relist.ts does.
   */
  reportOom(id: string): void {
    const r = this.#get(id);
    r.oomKilled = true;
    this.#emit(r, 'oom');
  }

  /** Exit the newest instance of a pod's container by name. */
  exitContainer(uid: string, name: string, code: number): void {
    const r = this.container(uid, name);
    if (!r) throw new Error(`fake: no container ${name} in pod ${uid}`);
    this.exit(r.id, code);
  }

  /** Force an engine state (e.g. 'unknown'), no event. */
  setState(id: string, state: FakeRecord['status']): void {
    this.#get(id).status = state;
  }

  /** The pause container dies (its containers keep running, as on Docker). */
  killSandbox(uid: string): void {
    const s = this.sandboxOf(uid);
    if (!s) throw new Error(`fake: pod ${uid} has no sandbox`);
    this.exit(s.id, STOPPED_EXIT_CODE);
  }

  /** `docker rm -f` of the pause container (its containers keep running, as on Docker). */
  removeSandbox(uid: string): void {
    const s = this.sandboxOf(uid);
    if (!s) throw new Error(`fake: pod ${uid} has no sandbox`);
    this.records.delete(s.id);
    this.#emit(s, 'destroy');
  }

  // ---- ContainerRuntime ----

  getPodStatus(uid: string): Promise<RuntimePodStatus> {
    return this.#call('getPodStatus', [uid], () => {
      return (
        this.#relist().find((p) => p.uid === uid) ?? { uid, name: '', namespace: '', sandboxes: [], containers: [] }
      );
    });
  }

  listPods(): Promise<RuntimePodStatus[]> {
    return this.#call('listPods', [], () => this.#relist());
  }

  listContainerStates(): Promise<ContainerStateSummary[]> {
    return this.#call('listContainerStates', [], () =>
      [...this.records.values()].map((r) => ({
        id: r.id,
        podUid: r.labels[LABEL.podUid] ?? '',
        state: r.status,
        sandbox: r.labels[LABEL.dockerType] === DOCKER_TYPE_SANDBOX,
      })),
    );
  }

  runSandbox(
    pod: ValidPod,
    attempt: number,
    _config?: unknown,
    whenCreated?: (sandboxId: string) => void,
  ): Promise<string> {
    return this.#call('runSandbox', [pod, attempt], async () => {
      const name = sandboxName(pod, attempt);
      const same = [...this.records.values()].find((r) => r.name === name);
      // Name conflict (sandbox.ts recoverConflict): reuse a running one, else replace it.
      if (same?.status === 'running') return same.id;
      if (same) this.records.delete(same.id);
      const r: FakeRecord = {
        id: this.#newId('sb'),
        name,
        labels: sandboxLabels(pod, this.agentId, attempt),
        sandbox: true,
        status: 'running',
        exitCode: 0,
        createdAt: this.#time(),
        image: 'minikubelet.local/pause:3.9',
        ip: `10.244.0.${++this.#ip}`,
      };
      const hold = this.#sandboxStarts.shift();
      if (hold || whenCreated) {
        r.status = 'created';
        this.records.set(r.id, r);
        whenCreated?.(r.id);
        if (hold?.block) await this.#holdAt(hold.block, this.callsOf('runSandbox').at(-1)!);
        if (hold?.fail) {
          // As sandbox.ts does when the network set-up fails: the sandbox is removed.
          this.records.delete(r.id);
          throw new Error(hold.fail);
        }
        r.status = 'running';
      }
      r.startedAt = r.createdAt;
      this.records.set(r.id, r);
      this.#emit(r, 'start');
      return r.id;
    });
  }

  stopSandbox(id: string, graceSeconds: number): Promise<void> {
    return this.#call('stopSandbox', [id, graceSeconds], () => this.#stop(id));
  }

  setUpPodVolumes(pod: ValidPod, payloads?: VolumePayloads): Promise<void> {
    return this.#call('setUpPodVolumes', [pod, payloads], () => undefined);
  }

  createContainer(req: CreateContainerRequest): Promise<string> {
    return this.#call('createContainer', [req], () => {
      const sb = this.records.get(req.sandboxId);
      if (!sb)
        throw new Error(`failed to create container "${req.container.name}": No such container: ${req.sandboxId}`);
      let name = containerName(req.pod, req.container, req.restartCount);
      const same = [...this.records.values()].find((r) => r.name === name);
      // Name conflict (containers.ts removeStale): a stopped one of ours goes, else a random suffix.
      if (same && same.status !== 'running') this.records.delete(same.id);
      else if (same) name = `${name}_${(++this.#seq).toString(16).padStart(8, '0')}`;
      const r: FakeRecord = {
        id: this.#newId('c'),
        name,
        labels: containerLabels({
          pod: req.pod,
          container: req.container,
          type: req.type,
          sandboxId: req.sandboxId,
          restartCount: req.restartCount,
          agentId: this.agentId,
        }),
        sandbox: false,
        status: 'created',
        exitCode: 0,
        createdAt: this.#time(),
        image: req.container.image ?? '',
        req,
      };
      this.records.set(r.id, r);
      this.#emit(r, 'create');
      return r.id;
    });
  }

  startContainer(id: string): Promise<void> {
    return this.#call(
      'startContainer',
      [id],
      () => {
        const r = this.#get(id);
        const sb = this.records.get(r.labels[LABEL.sandboxId] ?? '');
        if (!sb || sb.status !== 'running')
          throw new Error(`failed to start container ${id}: cannot join network of a non running container`);
        if (r.status === 'running') return;
        r.status = 'running';
        r.startedAt = this.#time();
        this.#emit(r, 'start');
      },
      // Docker after a failed start (daemon containerStart): Status stays "created", with
      // State.Error and ExitCode 128 — which the relist reports as exited (ContainerCannotRun).
      (err) => {
        const r = this.records.get(id);
        if (!r || r.status !== 'created') return;
        r.error = err.message;
        r.exitCode = 128;
      },
    );
  }

  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return this.#call('stopContainer', [id, graceSeconds], () => this.#stop(id));
  }

  removeContainer(id: string): Promise<void> {
    return this.#call('removeContainer', [id], () => {
      const r = this.records.get(id);
      if (!r) return;
      this.records.delete(id);
      this.#emit(r, 'destroy');
    });
  }

  removePod(uid: string): Promise<void> {
    return this.#call('removePod', [uid], () => {
      this.leftovers.delete(uid);
      for (const r of this.#podRecords(uid)) {
        this.records.delete(r.id);
        this.#emit(r, 'destroy');
      }
    });
  }

  listPodLeftovers(): Promise<string[]> {
    return this.#call('listPodLeftovers', [], () => [...this.leftovers]);
  }

  imageSize(image: string): Promise<number | undefined> {
    return this.#call('imageSize', [image], () => undefined);
  }

  imageExists(image: string): Promise<boolean> {
    return this.#call('imageExists', [image], () => this.allImagesPresent || this.images.has(image));
  }

  pullImage(image: string, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    return this.#call('pullImage', [image], () => {
      if (signal?.aborted) throw new Error(`pull of ${image} aborted`);
      onProgress?.({ status: 'Download complete' });
      this.images.add(image);
    });
  }

  containerLogs(id: string, opts: LogOptions): Promise<Readable> {
    return this.#call('containerLogs', [id, opts], () => Readable.from([]));
  }

  exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    return this.#call('exec', [id, command, timeoutMs], () => ({ ...this.execResult }));
  }

  /** Streams are exercised on the real engine (test/e2e/streaming.test.ts); the sync loop never asks for them. */
  execStreams(id: string, command: string[], req: StreamRequest): Promise<ContainerStreams> {
    return this.#call('execStreams', [id, command, req], () => {
      throw new Error('FakeRuntime: execStreams is not scripted');
    });
  }

  attach(id: string, req: StreamRequest): Promise<ContainerStreams> {
    return this.#call('attach', [id, req], () => {
      throw new Error('FakeRuntime: attach is not scripted');
    });
  }

  /** What info() answers; tests change it. */
  engineInfo: EngineInfo = {
    ncpu: 4,
    memTotal: 8 * 2 ** 30,
    serverVersion: '27.0.0',
    operatingSystem: 'Fake OS',
    kernelVersion: '6.1.0',
    dockerRootDir: '/var/lib/docker',
  };
  engineImages: EngineImage[] = [];

  async info(): Promise<EngineInfo> {
    return this.engineInfo;
  }
  async listImages(): Promise<EngineImage[]> {
    return this.engineImages;
  }

  /** Image IDs in use, as the test sets them (the fake has no image IDs on its containers). */
  imagesInUse = new Set<string>();
  readonly removedImages: string[] = [];

  async imageIdsInUse(): Promise<Set<string>> {
    return new Set(this.imagesInUse);
  }

  async removeImage(id: string): Promise<void> {
    this.calls.push({ method: 'removeImage', args: [id], at: this.clock.now() });
    this.removedImages.push(id);
    this.engineImages = this.engineImages.filter((i) => i.id !== id);
  }

  watch(onEvent: (e: RuntimeEvent) => void, _onError: (err: Error) => void): () => void {
    this.calls.push({ method: 'watch', args: [], at: this.clock.now() });
    this.#listeners.add(onEvent);
    return () => {
      this.#listeners.delete(onEvent);
    };
  }

  // ---- internals ----

  async #call<T>(
    method: RuntimeMethod,
    args: unknown[],
    body: () => T,
    onError?: (err: Error) => void,
  ): Promise<Awaited<T>> {
    const call: RuntimeCall = { method, args, at: this.clock.now() };
    this.calls.push(call);
    this.#inFlight++;
    try {
      const blocks = this.#blocks.get(method) ?? [];
      const b = blocks.find((x) => !x.match || x.match(...args));
      if (b) {
        blocks.splice(blocks.indexOf(b), 1);
        await this.#holdAt(b, call);
      }
      const injections = this.#injections.get(method) ?? [];
      const inj = injections.find((x) => !x.match || x.match(...args));
      if (inj) {
        if (--inj.times <= 0) injections.splice(injections.indexOf(inj), 1);
        onError?.(inj.err);
        throw inj.err;
      }
      // One microtask turn, as an engine round trip would take at least.
      await Promise.resolve();
      return await body();
    } finally {
      this.#inFlight--;
    }
  }

  #stop(id: string): void {
    const r = this.records.get(id);
    if (!r || r.status !== 'running') return; // stopped or missing: fine (containers.ts)
    r.status = 'exited';
    r.exitCode = STOPPED_EXIT_CODE;
    r.finishedAt = this.#time();
    delete r.ip;
    this.#emit(r, 'die');
  }

  #get(id: string): FakeRecord {
    const r = this.records.get(id);
    if (!r) throw new Error(`No such container: ${id}`);
    return r;
  }

  #podRecords(uid: string): FakeRecord[] {
    return [...this.records.values()].filter((r) => r.labels[LABEL.podUid] === uid);
  }

  #newId(prefix: string): string {
    const n = ++this.#seq;
    return `${prefix}${n}-${createHash('sha256').update(String(n)).digest('hex').slice(0, 12)}`;
  }

  /** Now, RFC 3339 with nanoseconds; the sequence in the last digits keeps creation order within one ms. */
  #time(): string {
    const iso = new Date(this.clock.now()).toISOString(); // …:ss.mmmZ
    const ns = String(++this.#seq % 1_000_000).padStart(6, '0');
    return iso.replace('Z', `${ns}Z`);
  }

  #emit(r: FakeRecord, action: string): void {
    const podUid = r.labels[LABEL.podUid] ?? '';
    for (const l of this.#listeners) l({ podUid, containerId: r.id, action });
  }

  /** What runtime/relist.ts makes of the records: grouped by pod, newest first. */
  #relist(): RuntimePodStatus[] {
    const pods = new Map<string, RuntimePodStatus>();
    for (const r of this.records.values()) {
      const l = readLabels(r.labels);
      if (!l.podUid) continue;
      let pod = pods.get(l.podUid);
      if (!pod) {
        pod = { uid: l.podUid, name: l.podName, namespace: l.namespace, sandboxes: [], containers: [] };
        pods.set(l.podUid, pod);
      }
      if (l.isSandbox) pod.sandboxes.push(toSandbox(r, l.attempt));
      else pod.containers.push(toContainer(r, l));
    }
    for (const pod of pods.values()) {
      pod.sandboxes.sort((a, b) => b.attempt - a.attempt || cmp(timeKey(b.createdAt), timeKey(a.createdAt)));
      pod.containers.sort((a, b) => cmp(timeKey(b.createdAt), timeKey(a.createdAt)) || b.restartCount - a.restartCount);
    }
    return [...pods.values()];
  }
}

/** relist.ts runtimeState on the record's Docker state. */
function stateOf(r: FakeRecord): RuntimeState {
  switch (r.status) {
    case 'running':
      return 'running';
    case 'exited':
      return 'exited';
    case 'created':
      return r.exitCode !== 0 || r.error ? 'exited' : 'created';
    default:
      return 'unknown';
  }
}

function toSandbox(r: FakeRecord, attempt: number): RuntimeSandbox {
  const state = stateOf(r);
  return { id: r.id, attempt, state, createdAt: r.createdAt, ...(state === 'running' && r.ip ? { ip: r.ip } : {}) };
}

function toContainer(r: FakeRecord, l: ReturnType<typeof readLabels>): RuntimeContainer {
  const state = stateOf(r);
  const c: RuntimeContainer = {
    id: r.id,
    name: l.containerName,
    type: l.type,
    sandboxId: l.sandboxId,
    restartCount: l.restartCount,
    hash: l.hash,
    state,
    createdAt: r.createdAt,
    image: l.image ?? r.image,
    imageId: `sha256:${createHash('sha256').update(r.image).digest('hex')}`,
  };
  if (r.startedAt) c.startedAt = r.startedAt;
  if (r.finishedAt) c.finishedAt = r.finishedAt;
  if (state === 'exited') {
    c.exitCode = r.exitCode;
    c.terminationMessage = '';
  }
  if (r.oomKilled) c.oomKilled = true;
  if (r.error) c.error = r.error;
  if (l.terminationMessagePath) c.terminationMessagePath = l.terminationMessagePath;
  if (l.terminationMessagePolicy) c.terminationMessagePolicy = l.terminationMessagePolicy;
  return c;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
