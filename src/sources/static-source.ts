// The file source (pkg/kubelet/config/file.go sourceFile): the manifests directory,
// re-read on every change and every --file-check-frequency (dir-watch.ts), each read
// a full snapshot. Its Secrets/ConfigMaps are applied to the object store first (pods
// read them), then its pods go to PodConfig as a SET, which merges them by UID.
// Bad and duplicate files are reported once each (a log line and a Warning event on
// the Node) until they change, not at every re-read.
import type { StoredObject, ValidPod } from '../apis/core/types.js';
import type { NodeEventSink } from '../events/recorder.js';
import type { Clock } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { DirWatcher, type WatchFn } from './dir-watch.js';
import { readManifestsDir } from './file-source.js';
import type { ObjectStore } from './object-store.js';
import { diffStaticObjects, firstDeclarationWins, markFileOwned, type Sourced } from './static-set.js';

/** The reason of the Warning event a skipped manifest gets (the kubelet only logs "Can't process config file"). */
export const BAD_MANIFEST_REASON = 'FailedStaticPodManifest';

/** Where the file source hands its pods (sources/pod-config.ts). */
export interface StaticPodSink {
  setStaticPods(pods: ValidPod[]): void;
}

export interface StaticSourceDeps {
  dir: string;
  nodeName: string;
  clock: Clock;
  log: Logger;
  periodMs: number;
  objects: ObjectStore;
  podConfig: StaticPodSink;
  events: NodeEventSink;
  /**
   * Creates a manifest's PersistentVolumeClaim unless one of its namespace/name exists.
   * Claims are never replaced or deleted from the directory: they hold data.
   */
  claims?: { ensureClaim(namespace: string, raw: unknown): boolean };
  /** Tests inject a watch; default fs.watch. */
  watch?: WatchFn;
}

export class StaticFileSource {
  readonly #watcher: DirWatcher;
  /** Problems reported by the previous read, so each is reported once while it lasts. */
  #reported = new Set<string>();

  constructor(private readonly d: StaticSourceDeps) {
    this.#watcher = new DirWatcher({
      dir: d.dir,
      clock: d.clock,
      log: d.log,
      periodMs: d.periodMs,
      rescan: () => this.scan(),
      ...(d.watch ? { watch: d.watch } : {}),
    });
  }

  /** Reads the directory now, then watches it. */
  start(): void {
    this.#watcher.start();
  }

  stop(): void {
    this.#watcher.stop();
  }

  /** One full read, applied: objects first, then the pods' SET. */
  scan(): void {
    const found = readManifestsDir(this.d.dir, this.d.nodeName, this.d.clock.now());
    const pods = firstDeclarationWins(found.pods);
    const objects = firstDeclarationWins(found.objects.filter(isStored));
    this.#report([...found.errors, ...pods.duplicates, ...objects.duplicates]);
    if (found.unreadable) return;
    this.#applyObjects(objects.kept.map((o) => markFileOwned(o.obj)));
    this.#applyClaims(found.claims.map((c) => c.obj));
    this.d.podConfig.setStaticPods(pods.kept.map((p) => p.obj));
  }

  #applyObjects(next: StoredObject[]): void {
    const stored = [...this.d.objects.list('Secret'), ...this.d.objects.list('ConfigMap')];
    const diff = diffStaticObjects(stored, next);
    for (const o of diff.put) this.#objectChange(o, () => this.d.objects.put(o, { replace: true }), 'stored');
    for (const o of diff.remove) {
      const { kind, metadata } = o;
      this.#objectChange(o, () => this.d.objects.delete(kind, metadata.namespace!, metadata.name!), 'removed');
    }
  }

  #applyClaims(claims: unknown[]): void {
    for (const raw of claims) {
      const meta = (raw as { metadata?: { name?: string; namespace?: string } }).metadata;
      const ref = `PersistentVolumeClaim ${meta?.namespace || 'default'}/${meta?.name}`;
      try {
        if (this.d.claims?.ensureClaim(meta?.namespace || 'default', raw))
          this.d.log.info({ object: ref }, 'static PersistentVolumeClaim created');
      } catch (err) {
        this.d.log.error({ object: ref, err: errorMessage(err) }, 'cannot create static PersistentVolumeClaim');
      }
    }
  }

  #objectChange(o: StoredObject, apply: () => unknown, what: string): void {
    const ref = `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
    try {
      apply();
      this.d.log.info({ object: ref }, `static ${o.kind} ${what}`);
    } catch (err) {
      this.d.log.error({ object: ref, err: errorMessage(err) }, `cannot apply static ${o.kind}`);
    }
  }

  #report(problems: { file: string; message: string }[]): void {
    const now = new Set<string>();
    for (const p of problems) {
      const key = `${p.file}\u0000${p.message}`;
      now.add(key);
      if (this.#reported.has(key)) continue;
      this.d.log.error({ file: p.file }, `skipping manifest: ${p.message}`);
      this.d.events.nodeEvent('Warning', BAD_MANIFEST_REASON, `skipping manifest ${p.file}: ${withoutFile(p)}`);
    }
    this.#reported = now;
  }
}

/** Decode errors already start with the file's path; the event names it once. */
function withoutFile(p: { file: string; message: string }): string {
  return p.message.startsWith(`${p.file}: `) ? p.message.slice(p.file.length + 2) : p.message;
}

function isStored(o: Sourced<{ kind: string }>): o is Sourced<StoredObject> {
  return o.obj.kind === 'Secret' || o.obj.kind === 'ConfigMap';
}
