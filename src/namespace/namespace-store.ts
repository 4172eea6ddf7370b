// Namespaces, persisted under the root dir: `default`, `kube-system`, `kube-public` and
// `kube-node-lease` exist from the start, as in a cluster. Creation and the
// NamespaceLifecycle admission a create in a namespace goes through
// (plugin/pkg/admission/namespace/lifecycle): a missing namespace is NotFound, a
// Terminating one Forbidden. Deletion marks the namespace Terminating; the namespace
// controller (namespace-controller.ts) empties it and then calls finalize().
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Namespace, WatchEventType } from '../apis/core/types.js';
import { validateNamespace } from '../apis/core/validate-cluster.js';
import { rfc3339, type Clock } from '../util/clock.js';
import { KubeletError, conflictError, ValidationError, alreadyExistsError, notFoundError } from '../util/errors.js';
import type { ResourceVersions } from '../util/resource-versions.js';
import { JsonDir } from '../sources/json-dir.js';

export const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;
/** The API server refuses to delete these (pkg/registry/core/namespace/storage). */
const UNDELETABLE = new Set(['default', 'kube-system', 'kube-public']);
/** The finalizer the namespace controller removes once the namespace is empty. */
export const KUBERNETES_FINALIZER = 'kubernetes';
/** The label the API server puts on every namespace (NamespaceDefaultLabelName). */
const NAME_LABEL = 'kubernetes.io/metadata.name';

export type NamespaceListener = (type: WatchEventType, ns: Namespace) => void;

/** A write may be a dry run (the API's dryRun=All). */
export interface WriteOpts {
  dryRun?: boolean;
}

export class NamespaceStore {
  readonly #items = new Map<string, Namespace>();
  readonly #dir: JsonDir<Namespace>;
  readonly #listeners = new Set<NamespaceListener>();

  constructor(
    rootDir: string,
    private readonly rvs: ResourceVersions,
    private readonly clock: Clock,
    onLoadError: (file: string, err: unknown) => void,
  ) {
    this.#dir = new JsonDir(join(rootDir, 'objects', 'namespaces'));
    for (const ns of this.#dir.readAll(onLoadError)) this.#items.set(ns.metadata.name!, ns);
    for (const name of INITIAL_NAMESPACES) if (!this.#items.has(name)) this.#store(this.#fresh(name, {}), 'ADDED');
  }

  list(): Namespace[] {
    return [...this.#items.values()].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  }

  get(name: string): Namespace {
    const ns = this.#items.get(name);
    if (!ns) throw notFoundError('namespaces', name);
    return ns;
  }

  find(name: string): Namespace | undefined {
    return this.#items.get(name);
  }

  /** POST: name, labels and annotations are the client's; everything else the server's. */
  create(body: unknown, opts: WriteOpts = {}): Namespace {
    const ns = admitNamespace(body);
    const name = ns.metadata.name!;
    if (this.#items.has(name)) throw alreadyExistsError('namespaces', name);
    return this.#store(this.#fresh(name, ns.metadata), 'ADDED', opts);
  }

  /** PUT or a PATCH's result: labels and annotations change; spec, status and identity stay. */
  update(name: string, body: unknown, opts: WriteOpts = {}): Namespace {
    const live = this.get(name);
    const next = admitNamespace(body);
    if (next.metadata.name !== name) throw new KubeletError('BadRequest', 'the name of the object does not match');
    const rv = next.metadata.resourceVersion;
    if (rv && rv !== live.metadata.resourceVersion) throw conflictError('namespaces', name);
    const metadata = { ...live.metadata, labels: { ...(next.metadata.labels ?? {}), [NAME_LABEL]: name } };
    if (next.metadata.annotations && Object.keys(next.metadata.annotations).length > 0)
      metadata.annotations = next.metadata.annotations;
    else delete metadata.annotations;
    return this.#store({ ...live, metadata }, 'MODIFIED', opts);
  }

  /** DELETE: phase Terminating with a deletionTimestamp (idempotent); the controller finishes it. */
  beginDelete(name: string, opts: WriteOpts = {}): Namespace {
    const live = this.get(name);
    if (UNDELETABLE.has(name))
      throw new KubeletError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, {
        resource: 'namespaces',
        name,
      });
    if (live.status.phase === 'Terminating') return live;
    return this.#store(
      {
        ...live,
        metadata: { ...live.metadata, deletionTimestamp: rfc3339(this.clock.now()) },
        status: { phase: 'Terminating' },
      },
      'MODIFIED',
      opts,
    );
  }

  /** The namespace is empty: it goes away (the DELETED event `kubectl delete ns` waits for). */
  finalize(name: string): void {
    const live = this.#items.get(name);
    if (!live) return;
    this.#dir.remove(name);
    this.#items.delete(name);
    const gone = {
      ...live,
      spec: { finalizers: [] },
      metadata: { ...live.metadata, resourceVersion: this.rvs.next() },
    };
    for (const l of this.#listeners) l('DELETED', gone);
  }

  /**
   * NamespaceLifecycle admission of a create in `namespace`, for `resource` "name".
   * Throws NotFound (`namespaces "x" not found`) or Forbidden (Terminating).
   */
  admitCreate(namespace: string, resource: string, name: string): void {
    const ns = this.#items.get(namespace);
    if (!ns) throw notFoundError('namespaces', namespace);
    if (ns.status.phase === 'Terminating')
      throw new KubeletError(
        'Forbidden',
        `${resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { resource, name },
      );
  }

  subscribe(l: NamespaceListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #fresh(name: string, meta: Namespace['metadata']): Namespace {
    return {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        uid: randomUUID(),
        creationTimestamp: rfc3339(this.clock.now()),
        labels: { ...(meta.labels ?? {}), [NAME_LABEL]: name },
        ...(meta.annotations && Object.keys(meta.annotations).length > 0 ? { annotations: meta.annotations } : {}),
      },
      spec: { finalizers: [KUBERNETES_FINALIZER] },
      status: { phase: 'Active' },
    };
  }

  /** Persist first, then make it live. */
  /** With `dryRun` every check has run: the object as it would be stored, nothing stored or announced. */
  #store(ns: Namespace, type: WatchEventType, opts: WriteOpts = {}): Namespace {
    if (opts.dryRun) return ns;
    const stored = { ...ns, metadata: { ...ns.metadata, resourceVersion: this.rvs.next() } };
    try {
      this.#dir.write(stored.metadata.name!, stored);
    } catch (err) {
      throw new KubeletError('Internal', `cannot store namespaces "${stored.metadata.name}"`, { cause: err });
    }
    this.#items.set(stored.metadata.name!, stored);
    for (const l of this.#listeners) l(type, stored);
    return stored;
  }
}

/** apiVersion/kind checked, then ValidateNamespace. */
function admitNamespace(body: unknown): Namespace {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new KubeletError('BadRequest', 'the object must be a mapping with apiVersion and kind');
  const b = body as Partial<Namespace> & { apiVersion?: unknown; kind?: unknown };
  if (b.kind !== undefined && b.kind !== 'Namespace')
    throw new KubeletError('BadRequest', `expected kind Namespace, got ${String(b.kind)}`);
  if (b.apiVersion !== undefined && b.apiVersion !== 'v1')
    throw new KubeletError(
      'BadRequest',
      `apiVersion ${JSON.stringify(b.apiVersion)} is not supported for kind "Namespace"`,
    );
  const ns = { ...b, metadata: b.metadata ?? {} } as Namespace;
  const errs = validateNamespace(ns);
  if (errs.length > 0) throw new ValidationError('Namespace', ns.metadata.name ?? '', errs);
  return ns;
}
