// The only module that imports dockerode. Everything else in runtime/ talks to the
// engine through DockerClient, so the SDK surface we rely on is listed in one place
// (cri-dockerd's libdocker plays the same role).
//
// The API version is deliberately left unset: dockerode does no version negotiation
// and the engine here speaks 1.41; asking for a newer version gets HTTP 400.
import './dockerode-deferred.js'; // first: defers dockerode's unused parts (#17)
import Docker from 'dockerode';
import type {
  ContainerCreateOptions,
  ContainerInfo,
  ContainerInspectInfo,
  ImageInfo,
  ImageInspectInfo,
  MountSettings,
  NetworkCreateOptions,
  NetworkInspectInfo,
  VolumeCreateOptions,
  VolumeInspectInfo,
} from 'dockerode';
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { join } from 'node:path';
import { type Duplex, Readable } from 'node:stream';
import { inspect } from 'node:util';
import { type EngineAddress, resolveDockerHost } from '../util/docker-host.js';

export type {
  ContainerCreateOptions,
  ContainerInfo,
  ContainerInspectInfo,
  ImageInspectInfo,
  NetworkInspectInfo,
  VolumeInspectInfo,
};

/** A HostConfig.Mounts entry as we send it. */
export interface EngineMount {
  Type: 'volume' | 'bind';
  Source: string;
  Target: string;
  ReadOnly: boolean;
  VolumeOptions?: { NoCopy: boolean };
}

/**
 * dockerode's typing makes VolumeOptions.Labels and DriverConfig required; the engine
 * treats every VolumeOptions field as optional (api/types/mount VolumeOptions, omitempty).
 */
export function engineMounts(mounts: readonly EngineMount[]): MountSettings[] {
  return mounts as MountSettings[];
}

/** The fields of GET /info the node status reads. */
export interface EngineInfoRaw {
  NCPU?: number;
  MemTotal?: number;
  ServerVersion?: string;
  OperatingSystem?: string;
  KernelVersion?: string;
  DockerRootDir?: string;
}

/** Label filters etc. as the engine's `filters` query parameter wants them. */
export type Filters = Record<string, string[]>;

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

export interface LogsRequest {
  follow: boolean;
  tail?: number;
  timestamps?: boolean;
  /** Unix seconds, fractional allowed. */
  since?: number;
}

export interface ExecRequest {
  Cmd: string[];
  AttachStdin?: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  Tty?: boolean;
}

/** Error from the engine with its HTTP status (dockerode sets `statusCode`). */
function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}
/** The engine answered 404: no such container, image, network or volume. */
export function isEngineNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}
export function isConflict(err: unknown): boolean {
  return statusOf(err) === 409;
}
/** 304: e.g. stop of an already-stopped container, start of a running one. */
export function isNotModified(err: unknown): boolean {
  return statusOf(err) === 304;
}

/** The engine's own message (`json.message`) instead of dockerode's "(HTTP code …)" wrapper. */
export function engineMessage(err: unknown): string {
  const json = (err as { json?: unknown } | null)?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message;
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  // Otherwise dockerode's "(HTTP code 500) server error - <engine text>".
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/**
 * The kubelet's --runtime-request-timeout default: every unary engine call must answer
 * within it (streaming ones — logs -f, exec, attach, events, pulls — have none).
 */
export const DEFAULT_ENGINE_REQUEST_TIMEOUT_MS = 120_000;

/** An engine call that did not answer in time (the CRI's DeadlineExceeded). */
export class EngineTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`context deadline exceeded: the container engine did not answer ${what} within ${formatSeconds(ms)}`);
    this.name = 'EngineTimeoutError';
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function isAbort(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | null;
  return e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'ABORT_ERR';
}

export interface DockerClientOptions {
  /** Labels added to every container and volume created (see below). */
  extraLabels?: Record<string, string>;
  /** Deadline of each unary call (DEFAULT_ENGINE_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
}

export class DockerClient {
  readonly #docker: Docker;
  readonly #timeoutMs: number;
  /**
   * Labels added to every container and volume created through this client (the
   * testing library's testcontainers session labels, so a reaper finds them). Ours win
   * on a clash: an extra label can never forge the identity labels.
   */
  readonly #extraLabels: Record<string, string>;
  constructor(docker: Docker, opts: DockerClientOptions = {}) {
    this.#docker = docker;
    this.#extraLabels = opts.extraLabels ?? {};
    this.#timeoutMs = opts.requestTimeoutMs ?? DEFAULT_ENGINE_REQUEST_TIMEOUT_MS;
  }

  /**
   * A unary call under the request deadline (kubelet remote_runtime.go: every CRI call
   * but the streaming ones runs under context.WithTimeout(runtimeRequestTimeout)), so a
   * hung engine fails the sync that made the call instead of stalling its pod worker
   * forever. `extraMs` lengthens it for calls that wait by design (stop's grace period).
   */
  async #unary<T>(what: string, call: (signal: { abortSignal: AbortSignal }) => Promise<T>, extraMs = 0): Promise<T> {
    const ms = this.#timeoutMs + extraMs;
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Most dockerode calls pass the signal on and abort the request; for the few that
    // do not (image and network inspect, info) the race still frees the caller. The
    // timer is cleared as soon as the call settles, so nothing holds the answer after it.
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(new EngineTimeoutError(what, ms));
      }, ms);
      timer.unref();
    });
    try {
      return await Promise.race([call({ abortSignal: ac.signal }), expired]);
    } catch (err) {
      if (ac.signal.aborted && (isAbort(err) || err instanceof EngineTimeoutError))
        throw new EngineTimeoutError(what, ms);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- containers ----
  listContainers(filters: Filters, all = true): Promise<ContainerInfo[]> {
    return this.#unary('GET /containers/json', (s) =>
      this.#docker.listContainers({ all, filters: JSON.stringify(filters), ...s }),
    );
  }
  inspectContainer(id: string): Promise<ContainerInspectInfo> {
    return this.#unary(`GET /containers/${id}/json`, (s) => this.#docker.getContainer(id).inspect(s));
  }
  async createContainer(opts: ContainerCreateOptions): Promise<string> {
    const c = await this.#unary('POST /containers/create', (s) =>
      this.#docker.createContainer({ ...opts, Labels: { ...this.#extraLabels, ...opts.Labels }, ...s }),
    );
    return c.id;
  }
  async startContainer(id: string): Promise<void> {
    try {
      await this.#unary(`POST /containers/${id}/start`, (s) => this.#docker.getContainer(id).start(s));
    } catch (err) {
      if (!isNotModified(err)) throw err;
    }
  }
  /** POST /containers/{id}/stop?t=: the engine sends StopSignal, waits t s, then SIGKILL. */
  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    try {
      const t = Math.max(0, Math.floor(graceSeconds));
      await this.#unary(
        `POST /containers/${id}/stop`,
        (s) => this.#docker.getContainer(id).stop({ t, ...s }),
        t * 1000,
      );
    } catch (err) {
      if (!isNotModified(err)) throw err;
    }
  }
  async removeContainer(id: string, opts: { force: boolean; v: boolean }): Promise<void> {
    await this.#unary(`DELETE /containers/${id}`, (s) => this.#docker.getContainer(id).remove({ ...opts, ...s }));
  }
  /** A raw log stream: multiplexed frames unless the container has a TTY. */
  async containerLogs(id: string, req: LogsRequest, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    const opts = {
      stdout: true,
      stderr: true,
      timestamps: req.timestamps ?? false,
      ...(req.tail !== undefined ? { tail: req.tail } : {}),
      ...(req.since !== undefined ? { since: req.since } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    };
    // dockerode returns a Buffer unless follow is set; normalise both to a stream.
    if (req.follow) return this.#docker.getContainer(id).logs({ ...opts, follow: true });
    const buf = await this.#docker.getContainer(id).logs({ ...opts, follow: false });
    return Readable.from([Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf))]);
  }

  // ---- exec ----
  async execStart(containerId: string, req: ExecRequest): Promise<{ execId: string; stream: NodeJS.ReadableStream }> {
    const exec = await this.#execCreate(containerId, req);
    const stream = await exec.start({ hijack: true, stdin: false, Tty: req.Tty ?? false });
    return { execId: exec.id, stream };
  }
  /**
   * Start an exec and keep its hijacked connection as a duplex: writes go to the
   * process's stdin, end() half-closes it (stdin EOF), reads are its output.
   */
  async execStartInteractive(containerId: string, req: ExecRequest): Promise<{ execId: string; stream: Duplex }> {
    const exec = await this.#execCreate(containerId, req);
    const stream = await exec.start({ hijack: true, stdin: req.AttachStdin ?? false, Tty: req.Tty ?? false });
    return { execId: exec.id, stream: stream as Duplex };
  }
  /** Exec create is unary; the start that follows is the stream and has no deadline. */
  #execCreate(containerId: string, req: ExecRequest): Promise<Docker.Exec> {
    return this.#unary(`POST /containers/${containerId}/exec`, (s) =>
      this.#docker.getContainer(containerId).exec({ ...req, ...s }),
    );
  }
  async execResize(execId: string, width: number, height: number): Promise<void> {
    await this.#unary(`POST /exec/${execId}/resize`, (s) =>
      this.#docker.getExec(execId).resize({ w: width, h: height, ...s }),
    );
  }
  async execExitCode(execId: string): Promise<{ running: boolean; exitCode: number | null }> {
    const info = await this.#unary(`GET /exec/${execId}/json`, (s) => this.#docker.getExec(execId).inspect(s));
    return { running: info.Running, exitCode: info.ExitCode ?? null };
  }

  // ---- attach ----
  /** POST /containers/{id}/attach?stream=1, hijacked: the container's live stdio as a duplex. */
  async attachContainer(id: string, req: { stdin: boolean; stdout: boolean; stderr: boolean }): Promise<Duplex> {
    const stream = await this.#docker.getContainer(id).attach({ stream: true, hijack: true, ...req });
    return stream as unknown as Duplex;
  }
  async resizeContainer(id: string, width: number, height: number): Promise<void> {
    await this.#unary(`POST /containers/${id}/resize`, (s) =>
      this.#docker.getContainer(id).resize({ w: width, h: height, ...s }),
    );
  }

  /**
   * GET /containers/{id}/stats?stream=false: one sample, parsed. With `oneShot` (API 1.41+)
   * the engine answers at once and leaves precpu_stats empty; without it, it waits for a
   * second collection cycle (~1-2 s) so precpu_stats holds the previous sample.
   */
  containerStats(id: string, oneShot: boolean, signal?: AbortSignal): Promise<unknown> {
    return this.#docker.getContainer(id).stats({
      stream: false,
      ...(oneShot ? { 'one-shot': true } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    });
  }

  // ---- engine ----
  /** GET /info: CPUs, memory, versions and the data root (the node's machine info). */
  info(): Promise<EngineInfoRaw> {
    return this.#unary('GET /info', () => this.#docker.info() as Promise<EngineInfoRaw>);
  }

  // ---- images ----
  listImages(): Promise<ImageInfo[]> {
    return this.#unary('GET /images/json', (s) => this.#docker.listImages({ all: false, ...s }));
  }
  /** DELETE /images/{id} without force: the engine itself refuses an image a container uses. */
  async removeImage(id: string): Promise<void> {
    await this.#unary(`DELETE /images/${id}`, (s) =>
      this.#docker.getImage(id).remove({ force: false, noprune: false, ...s }),
    );
  }
  /** Every container of the engine, any owner (what image GC must never take an image from). */
  listAllContainers(): Promise<ContainerInfo[]> {
    return this.#unary('GET /containers/json', (s) => this.#docker.listContainers({ all: true, ...s }));
  }
  inspectImage(ref: string): Promise<ImageInspectInfo> {
    return this.#unary(`GET /images/${ref}/json`, () => this.#docker.getImage(ref).inspect());
  }
  /** POST /images/create with fromImage AND tag (without tag the engine pulls every tag). */
  pullStream(
    fromImage: string,
    tag: string,
    auth?: RegistryAuth,
    signal?: AbortSignal,
  ): Promise<NodeJS.ReadableStream> {
    const opts = { fromImage, tag, ...(signal ? { abortSignal: signal } : {}) };
    return auth ? this.#docker.createImage(auth, opts) : this.#docker.createImage(opts);
  }
  /** Drain a progress stream; onFinished gets the stream error, not in-band errors. */
  followProgress(
    stream: NodeJS.ReadableStream,
    onFinished: (err: Error | null, out: unknown[]) => void,
    onProgress: (e: unknown) => void,
  ): void {
    this.#docker.modem.followProgress(stream, onFinished, onProgress);
  }

  // ---- events ----
  /** `since` (seconds, fractional allowed) replays what happened since then. */
  events(filters: Filters, signal: AbortSignal, since?: number): Promise<NodeJS.ReadableStream> {
    return this.#docker.getEvents({
      filters: JSON.stringify(filters),
      abortSignal: signal,
      ...(since !== undefined ? { since } : {}),
    });
  }

  // ---- networks ----
  inspectNetwork(name: string): Promise<NetworkInspectInfo> {
    return this.#unary(
      `GET /networks/${name}`,
      () => this.#docker.getNetwork(name).inspect() as Promise<NetworkInspectInfo>,
    );
  }
  async createNetwork(opts: NetworkCreateOptions): Promise<void> {
    await this.#unary('POST /networks/create', (s) => this.#docker.createNetwork({ ...opts, ...s }));
  }
  async removeNetwork(name: string): Promise<void> {
    await this.#unary(`DELETE /networks/${name}`, (s) => this.#docker.getNetwork(name).remove(s));
  }
  /** Attach a (created or running) container to a network, under the given DNS aliases. */
  async connectNetwork(name: string, containerId: string, aliases: string[]): Promise<void> {
    await this.#unary(`POST /networks/${name}/connect`, (s) =>
      this.#docker.getNetwork(name).connect({ Container: containerId, EndpointConfig: { Aliases: aliases }, ...s }),
    );
  }

  // ---- volumes ----
  async createVolume(opts: VolumeCreateOptions): Promise<VolumeInspectInfo> {
    await this.#unary('POST /volumes/create', (s) =>
      this.#docker.createVolume({ ...opts, Labels: { ...this.#extraLabels, ...opts.Labels }, ...s }),
    );
    return this.inspectVolume(opts.Name!);
  }
  inspectVolume(name: string): Promise<VolumeInspectInfo> {
    return this.#unary(`GET /volumes/${name}`, (s) => this.#docker.getVolume(name).inspect(s));
  }
  async listVolumes(filters: Filters): Promise<VolumeInspectInfo[]> {
    const r = await this.#unary('GET /volumes', (s) =>
      this.#docker.listVolumes({ filters: JSON.stringify(filters), ...s }),
    );
    return r.Volumes ?? [];
  }
  async removeVolume(name: string): Promise<void> {
    await this.#unary(`DELETE /volumes/${name}`, (s) => this.#docker.getVolume(name).remove(s));
  }
}

/**
 * Engine connections are kept alive and reused: a probe-heavy node makes tens of engine
 * calls a second, and a fresh unix-socket connection per call was the agent's largest
 * steady-state cost. Hijacked exec/attach sockets leave the pool on upgrade (Node's
 * agent drops upgraded sockets), so they are never handed to another request.
 */
export function engineAgent(): HttpAgent {
  const agent = new HttpAgent({ keepAlive: true, maxFreeSockets: 16, scheduling: 'lifo' });
  // docker-modem util.inspect()s every request's options for its debug log, even with
  // the log off; without this that walks the whole pool of sockets on every call.
  Object.defineProperty(agent, inspect.custom, { value: () => 'Agent { keepAlive: true }' });
  return agent;
}

/**
 * Connect to an engine: `unix:///path`, `/path`, `tcp://host:port`, `http(s)://host:port`,
 * or, when undefined, DOCKER_HOST or the default socket; parsed by util/docker-host.ts,
 * the same parser setup uses.
 */
export function createDockerClient(dockerHost?: string, opts: DockerClientOptions = {}): DockerClient {
  const options = dockerodeOptions(resolveDockerHost(dockerHost));
  // docker-modem passes `agent` to http.request; @types/dockerode does not list it.
  const Engine = Docker as unknown as new (o?: Docker.DockerOptions & { agent?: HttpAgent }) => Docker;
  // An https engine needs its own TLS agent (docker-modem builds it from ca/cert/key); no pooling there.
  if (options.protocol === 'https') return new DockerClient(new Engine(options), opts);
  return new DockerClient(new Engine({ ...options, agent: engineAgent() }), opts);
}

/** Dockerode options for the address. API version left unset: dockerode does not negotiate. */
export function dockerodeOptions(addr: EngineAddress): Docker.DockerOptions {
  if (addr.kind === 'unix') return { socketPath: addr.socketPath };
  const o: Docker.DockerOptions = { protocol: addr.protocol, host: addr.host, port: addr.port };
  if (addr.protocol === 'https' && process.env.DOCKER_CERT_PATH) {
    // The files the docker CLI reads; passed explicitly because docker-modem only loads
    // them when it parses DOCKER_HOST itself.
    o.ca = readCert('ca.pem');
    o.cert = readCert('cert.pem');
    o.key = readCert('key.pem');
  }
  return o;
}

function readCert(name: string): string | undefined {
  try {
    return readFileSync(join(process.env.DOCKER_CERT_PATH!, name), 'utf8');
  } catch {
    return undefined;
  }
}
