// A client for the agent's Kubernetes-compatible API (undici's fetch, with the kubeconfig's
// CA and bearer token, as client-go's rest.Config would use them), plus the two upgraded
// connections kubectl opens: a WebSocket for exec/attach and SPDY for port-forward. Every
// request is built here (#url, #headers, #tls), so how the agent is reached (scheme,
// credentials) lives in this one class.
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { Agent, fetch, type Response } from 'undici';
import { WebSocket } from 'ws';
import type { PullSnapshot } from '../apis/minikubelet/v1/types.js';
import { RESOURCE_OF_KIND } from '../apis/core/types.js';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type {
  KubeEvent,
  KubeObject,
  ObjectMeta,
  Pod,
  PodLogRequest,
  StoredKind,
  StoredObject,
  WatchEvent,
} from '../apis/core/types.js';
import { KubeletError } from '../util/errors.js';
import { connectionError, errorFromResponse } from './errors.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';

export { ApiError } from './errors.js';

/** Every namespace (kubectl -A). `undefined` means the same for list calls. */
export const ALL_NAMESPACES = '*all*';

export interface ListMeta {
  resourceVersion: string;
}
export interface List<T> {
  kind: string;
  apiVersion: 'v1';
  metadata: ListMeta;
  items: T[];
}

export interface ListOptions {
  fieldSelector?: string;
  labelSelector?: string;
  limit?: number;
}

export interface WatchOptions extends ListOptions {
  /** Unset or "0": the server first sends ADDED for every current object; otherwise only later changes. */
  resourceVersion?: string;
  timeoutSeconds?: number;
}

export type ApplyAction = 'created' | 'configured';
export interface ApplyResult {
  action: ApplyAction;
  kind: string;
  metadata: ObjectMeta;
  object: KubeObject;
}

export interface ApiClientOptions {
  userAgent?: string;
  /** PEM of the CA that signs the server's certificate (else the system's CAs). */
  caPem?: string;
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** Accept any server certificate (kubeconfig insecure-skip-tls-verify). */
  insecureSkipTlsVerify?: boolean;
}

/** Query parameters; an array repeats the parameter (exec's `command=ls&command=/`). */
export type Query = Record<string, string | number | boolean | string[] | undefined>;

/** JSON merge patch (RFC 7386), as `kubectl label`/`annotate` send it. */
export const MERGE_PATCH = 'application/merge-patch+json';

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Content-Type of the JSON body (default application/json). */
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** For error messages: `get pods web`. */
  what?: string;
}

/** Writes ask for kubectl's default, strict field validation: an unknown field is an error, not a warning. */
const STRICT = { fieldValidation: 'Strict' } as const;

function nsPath(ns: string | undefined, resource: string): string {
  return ns === undefined || ns === ALL_NAMESPACES
    ? `/api/v1/${resource}`
    : `/api/v1/namespaces/${encodeURIComponent(ns)}/${resource}`;
}

function itemPath(ns: string, resource: string, name: string): string {
  return `${nsPath(ns, resource)}/${encodeURIComponent(name)}`;
}

/** The error for an upgrade request the server answered without switching protocols. */
async function refusal(res: IncomingMessage, what: string): Promise<Error> {
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return errorFromResponse(res.statusCode ?? 500, body, what);
}

export class ApiClient {
  readonly server: string;
  readonly #userAgent: string;
  readonly #token: string | undefined;
  readonly #dispatcher: Agent | undefined;
  /** TLS options for the upgraded connections (node:https and ws), the same as the fetch dispatcher's. */
  readonly #tls: { ca?: string; rejectUnauthorized: boolean };

  constructor(server: string, opts: ApiClientOptions = {}) {
    this.server = server.replace(/\/+$/, '');
    this.#userAgent = opts.userAgent ?? 'minikubelet-client';
    this.#token = opts.token;
    this.#tls = {
      ...(opts.caPem !== undefined ? { ca: opts.caPem } : {}),
      rejectUnauthorized: opts.insecureSkipTlsVerify !== true,
    };
    if (opts.caPem !== undefined || opts.insecureSkipTlsVerify) {
      this.#dispatcher = new Agent({
        connect: {
          ...(opts.caPem !== undefined ? { ca: opts.caPem } : {}),
          rejectUnauthorized: opts.insecureSkipTlsVerify !== true,
        },
      });
    }
  }

  /** A client for the server, CA and token of a resolved kubeconfig. */
  static fromKubeconfig(kc: ResolvedKubeconfig, opts: Pick<ApiClientOptions, 'userAgent'> = {}): ApiClient {
    return new ApiClient(kc.server, {
      ...opts,
      ...(kc.caPem !== undefined ? { caPem: kc.caPem } : {}),
      ...(kc.token !== undefined ? { token: kc.token } : {}),
      ...(kc.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    });
  }

  /** Closes the client's connections (a client with its own CA holds its own pool). */
  async close(): Promise<void> {
    await this.#dispatcher?.close();
  }

  // ---- transport ----

  #url(path: string, query: Query = {}): URL {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) {
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
      else if (v !== undefined) url.searchParams.set(k, String(v));
    }
    return url;
  }

  /** The headers of every request, plain or upgraded. */
  #headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'User-Agent': this.#userAgent,
      ...(this.#token !== undefined ? { Authorization: `Bearer ${this.#token}` } : {}),
      ...extra,
    };
  }

  async #fetch(method: string, path: string, o: RequestOptions = {}): Promise<Response> {
    const url = this.#url(path, o.query);
    const headers = this.#headers({ Accept: o.accept ?? 'application/json' });
    if (o.body !== undefined) headers['Content-Type'] = o.contentType ?? 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      throw connectionError(this.server, err);
    }
    if (!res.ok) throw errorFromResponse(res.status, await res.text(), o.what);
    return res;
  }

  /**
   * One request as given, through this client's TLS and token, answered as it comes
   * (no error mapping): for callers that send bodies the typed methods cannot build.
   */
  async sendRaw(
    method: string,
    path: string,
    o: { body?: string | Uint8Array; contentType?: string; accept?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers = this.#headers({ Accept: o.accept ?? 'application/json' });
    if (o.contentType !== undefined) headers['Content-Type'] = o.contentType;
    return fetch(this.#url(path), {
      method,
      headers,
      ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}),
      ...(o.body !== undefined ? { body: o.body } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  }

  async #json<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const res = await this.#fetch(method, path, o);
    return (await res.json()) as T;
  }

  // ---- server ----

  version(): Promise<{ major: string; minor: string; gitVersion: string }> {
    return this.#json('GET', '/version');
  }

  /** Image pulls in flight on the node (minikubelet's own endpoint, for progress displays). */
  async listPulls(): Promise<PullSnapshot[]> {
    return (await this.#json<{ items: PullSnapshot[] }>('GET', '/minikubelet/v1/pulls', { what: 'get pulls' })).items;
  }

  // ---- pods ----

  /** Pods of a namespace; all namespaces when `ns` is undefined or ALL_NAMESPACES. */
  async listPods(ns?: string, opts: ListOptions = {}): Promise<Pod[]> {
    return (await this.listPodList(ns, opts)).items;
  }

  /** The PodList, with the resourceVersion to watch from. */
  listPodList(ns?: string, opts: ListOptions = {}): Promise<List<Pod>> {
    return this.#json('GET', nsPath(ns, 'pods'), { query: { ...opts }, what: 'get pods' });
  }

  getPod(ns: string, name: string): Promise<Pod> {
    return this.#json('GET', itemPath(ns, 'pods', name), { what: `get pods ${name}` });
  }

  createPod(ns: string, obj: unknown): Promise<Pod> {
    return this.#json('POST', nsPath(ns, 'pods'), { body: obj, query: STRICT, what: 'post pods' });
  }

  /** Starts graceful deletion; returns the pod (deletionTimestamp set). */
  deletePod(ns: string, name: string, gracePeriodSeconds?: number): Promise<Pod> {
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Background',
      ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
    };
    return this.#json('DELETE', itemPath(ns, 'pods', name), { body, what: `delete pods ${name}` });
  }

  /**
   * Resolves once the pod is gone (a DELETED event, or a list without it); throws
   * after timeoutMs. A pod recreated under the same name counts as gone.
   */
  async waitForPodGone(ns: string, name: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      while (!ac.signal.aborted) {
        const list = await this.listPodList(ns, { fieldSelector: `metadata.name=${name}` });
        const uid = list.items[0]?.metadata.uid;
        if (!uid) return;
        let gone = false;
        const stop = new AbortController();
        const onAbort = () => stop.abort();
        ac.signal.addEventListener('abort', onAbort, { once: true });
        try {
          await this.watchPods(
            ns,
            (e) => {
              if (e.object.metadata.uid === uid ? e.type === 'DELETED' : e.type === 'ADDED') {
                gone = true;
                stop.abort();
              }
            },
            stop.signal,
            {
              fieldSelector: `metadata.name=${name}`,
              resourceVersion: list.metadata.resourceVersion,
              timeoutSeconds: Math.max(1, Math.ceil((deadline - Date.now()) / 1000)),
            },
          );
        } catch (err) {
          // An expired resourceVersion: list again.
          if (!(err instanceof KubeletError && err.code === 'Conflict')) throw err;
        } finally {
          ac.signal.removeEventListener('abort', onAbort);
        }
        if (gone) return;
      }
    } finally {
      clearTimeout(timer);
    }
    throw new KubeletError('Unavailable', `timed out waiting for the condition on pods/${name}`);
  }

  /** The container's log as a byte stream (follow keeps it open until the container stops). */
  async podLogs(ns: string, name: string, opts: PodLogRequest & { signal?: AbortSignal } = {}): Promise<Readable> {
    const { signal, ...q } = opts;
    const res = await this.#fetch('GET', `${itemPath(ns, 'pods', name)}/log`, {
      query: q as Query,
      accept: '*/*',
      ...(signal ? { signal } : {}),
      what: `get pods ${name}`,
    });
    if (!res.body) return Readable.from([]);
    return Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  }

  /**
   * Streams pod changes to onEvent until the server ends the watch or `signal`
   * aborts (both resolve). Without opts.resourceVersion the server first replays
   * every current pod as ADDED; pass a list's resourceVersion to get only changes.
   */
  watchPods(
    ns: string | undefined,
    onEvent: (e: WatchEvent<Pod>) => void,
    signal?: AbortSignal,
    opts: WatchOptions = {},
  ): Promise<void> {
    return this.#watch(nsPath(ns, 'pods'), onEvent, signal, opts);
  }

  // ---- events ----

  async listEvents(ns?: string, fieldSelector?: string): Promise<KubeEvent[]> {
    return (await this.listEventList(ns, fieldSelector !== undefined ? { fieldSelector } : {})).items;
  }

  listEventList(ns?: string, opts: ListOptions = {}): Promise<List<KubeEvent>> {
    return this.#json('GET', nsPath(ns, 'events'), { query: { ...opts }, what: 'get events' });
  }

  watchEvents(
    ns: string | undefined,
    onEvent: (e: WatchEvent<KubeEvent>) => void,
    signal?: AbortSignal,
    opts: WatchOptions = {},
  ): Promise<void> {
    return this.#watch(nsPath(ns, 'events'), onEvent, signal, opts);
  }

  // ---- secrets and configmaps ----

  async listObjects(kind: StoredKind, ns?: string): Promise<StoredObject[]> {
    return (
      await this.#json<List<StoredObject>>('GET', nsPath(ns, RESOURCE_OF_KIND[kind]), {
        what: `get ${RESOURCE_OF_KIND[kind]}`,
      })
    ).items;
  }

  getObject(kind: StoredKind, ns: string, name: string): Promise<StoredObject> {
    return this.#json('GET', itemPath(ns, RESOURCE_OF_KIND[kind], name), {
      what: `get ${RESOURCE_OF_KIND[kind]} ${name}`,
    });
  }

  deleteObject(kind: StoredKind, ns: string, name: string): Promise<StoredObject> {
    return this.#json('DELETE', itemPath(ns, RESOURCE_OF_KIND[kind], name), {
      what: `delete ${RESOURCE_OF_KIND[kind]} ${name}`,
    });
  }

  /**
   * Creates a Pod, Secret, ConfigMap or ServiceAccount. A Pod that exists is an AlreadyExists error
   * (pods are immutable here); another kind that exists is replaced.
   */
  async applyObject(ns: string, obj: unknown): Promise<ApplyResult> {
    const o = obj as { kind?: string; apiVersion?: string; metadata?: { name?: string } };
    const resource =
      o.kind === 'PersistentVolumeClaim'
        ? 'persistentvolumeclaims'
        : o.kind && Object.hasOwn(RESOURCE_OF_KIND, o.kind)
          ? RESOURCE_OF_KIND[o.kind as keyof typeof RESOURCE_OF_KIND]
          : undefined;
    if (!resource || (o.apiVersion !== undefined && o.apiVersion !== 'v1')) {
      throw new KubeletError(
        'BadRequest',
        `resource mapping not found for name: ${JSON.stringify(o.metadata?.name ?? '')}: no matches for kind ${JSON.stringify(o.kind ?? '')} in version ${JSON.stringify(o.apiVersion ?? '')}`,
      );
    }
    const done = (action: ApplyAction, object: KubeObject): ApplyResult => ({
      action,
      kind: object.kind,
      metadata: object.metadata,
      object,
    });
    try {
      return done(
        'created',
        await this.#json<KubeObject>('POST', nsPath(ns, resource), {
          body: obj,
          query: STRICT,
          what: `post ${resource}`,
        }),
      );
    } catch (err) {
      if (!(err instanceof KubeletError && err.code === 'AlreadyExists') || resource === 'pods') throw err;
    }
    const name = o.metadata?.name ?? '';
    return done(
      'configured',
      await this.#json<KubeObject>('PUT', itemPath(ns, resource, name), {
        body: obj,
        query: STRICT,
        what: `put ${resource} ${name}`,
      }),
    );
  }

  /** Creates an object; one that exists is an AlreadyExists error (kubectl create). */
  createObject<T extends KubeObject>(ns: string, resource: string, obj: unknown, fieldManager: string): Promise<T> {
    return this.#json('POST', nsPath(ns, resource), {
      body: obj,
      query: { fieldManager, ...STRICT },
      what: `post ${resource}`,
    });
  }

  /** PATCH with the given patch type (MERGE_PATCH for label/annotate); returns the result. */
  patchObject<T extends KubeObject>(
    ns: string,
    resource: string,
    name: string,
    patch: unknown,
    o: { contentType: string; fieldManager: string },
  ): Promise<T> {
    return this.#json('PATCH', itemPath(ns, resource, name), {
      body: patch,
      contentType: o.contentType,
      query: { fieldManager: o.fieldManager },
      what: `patch ${resource} ${name}`,
    });
  }

  // ---- upgraded connections (exec, attach, port-forward) ----

  /**
   * The exec or attach subresource over WebSocket, as kubectl 1.32 opens it: a GET offering
   * only `protocol` (v5.channel.k8s.io). Resolves once the server switched protocols; a
   * refusal (no such container, pod not running) is the server's Status as an ApiError.
   */
  openChannels(
    ns: string,
    name: string,
    subresource: 'exec' | 'attach',
    query: Query,
    protocol: string,
  ): Promise<WebSocket> {
    const url = this.#url(`${itemPath(ns, 'pods', name)}/${subresource}`, query);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url, [protocol], { headers: this.#headers(), perMessageDeflate: false, ...this.#tls });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => refusal(res, `${subresource} pods ${name}`).then(reject, reject));
      ws.once('error', (err) => reject(connectionError(this.server, { cause: err })));
    });
  }

  /**
   * The portforward subresource as a raw SPDY/3.1 connection (kubectl's SPDY transport:
   * POST with `Upgrade: SPDY/3.1` and `X-Stream-Protocol-Version: portforward.k8s.io`).
   * kubectl 1.32 first tries SPDY tunnelled in WebSocket, but its subprotocol name
   * `SPDY/3.1+portforward.k8s.io` is not an RFC 6455 token and the `ws` client refuses to
   * offer it; the API server accepts both transports, and the SPDY frames are the same.
   */
  openPortForward(ns: string, name: string): Promise<{ socket: Socket; head: Buffer }> {
    const url = this.#url(`${itemPath(ns, 'pods', name)}/portforward`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, {
      ...(url.protocol === 'https:' ? this.#tls : {}),
      method: 'POST',
      headers: this.#headers({
        Connection: 'Upgrade',
        Upgrade: 'SPDY/3.1',
        'X-Stream-Protocol-Version': 'portforward.k8s.io',
      }),
    });
    return new Promise((resolve, reject) => {
      req.once('upgrade', (_res, socket: Socket, head: Buffer) => resolve({ socket, head }));
      req.once('response', (res) => refusal(res, `portforward pods ${name}`).then(reject, reject));
      req.once('error', (err) => reject(connectionError(this.server, { cause: err })));
      req.end();
    });
  }

  // ---- watch plumbing ----

  async #watch<T>(
    path: string,
    onEvent: (e: WatchEvent<T>) => void,
    signal: AbortSignal | undefined,
    opts: WatchOptions,
  ): Promise<void> {
    if (signal?.aborted) return;
    let res: Response;
    try {
      res = await this.#fetch('GET', path, {
        query: { ...opts, watch: true },
        ...(signal ? { signal } : {}),
        what: `watch ${path}`,
      });
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    const handle = (line: string) => {
      if (line.trim() === '') return;
      const e = JSON.parse(line) as { type: string; object: unknown };
      if (e.type === 'ERROR')
        throw errorFromResponse((e.object as { code?: number }).code ?? 500, JSON.stringify(e.object));
      if (e.type === 'BOOKMARK') return;
      onEvent(e as WatchEvent<T>);
    };
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          handle(line);
          if (signal?.aborted) return;
        }
      }
      handle(buf + decoder.decode());
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    } finally {
      if (!res.bodyUsed || signal?.aborted) await res.body.cancel().catch(() => {});
    }
  }
}
