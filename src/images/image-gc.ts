// Image garbage collection (pkg/kubelet/images/image_gc_manager.go), only when
// --image-gc-high-threshold is set: when the engine's data root is fuller than HIGH %,
// unused images are removed, least recently used first, until usage is at most LOW %.
// An image any container of the engine uses (ours or not) is never removed, nor one
// first seen less than --image-minimum-gc-age ago. "Last used" is, as upstream, the last
// time this agent saw a container using the image (else when it first saw the image).
import type { Clock } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { ContainerRuntime, EngineImage } from '../runtime/runtime.js';

/** kubelet ImageGCPeriod: how often usage is checked. */
export const IMAGE_GC_PERIOD_MS = 5 * 60_000;

export interface ImageGcPolicy {
  highThresholdPercent: number;
  lowThresholdPercent: number;
  minAgeMs: number;
}

export interface DiskUsage {
  capacityBytes: number;
  availableBytes: number;
}

interface ImageRecord {
  firstDetectedMs: number;
  lastUsedMs: number;
}

/** The images to remove, in order, to free `bytesToFree` (pure; freeSpace upstream). */
export function imagesToRemove(
  images: EngineImage[],
  inUse: Set<string>,
  records: ReadonlyMap<string, ImageRecord>,
  now: number,
  minAgeMs: number,
  bytesToFree: number,
): EngineImage[] {
  const candidates = images
    .filter((i) => !inUse.has(i.id))
    .filter((i) => now - (records.get(i.id)?.firstDetectedMs ?? now) >= minAgeMs)
    .sort((a, b) => (records.get(a.id)?.lastUsedMs ?? 0) - (records.get(b.id)?.lastUsedMs ?? 0));
  const out: EngineImage[] = [];
  let freed = 0;
  for (const img of candidates) {
    if (freed >= bytesToFree) break;
    out.push(img);
    freed += img.sizeBytes;
  }
  return out;
}

/** Bytes to free so usage drops to LOW %, or 0 when usage is below HIGH %. */
export function bytesToFree(disk: DiskUsage, policy: ImageGcPolicy): number {
  if (disk.capacityBytes <= 0) return 0;
  const used = disk.capacityBytes - disk.availableBytes;
  const usagePercent = (used * 100) / disk.capacityBytes;
  if (usagePercent < policy.highThresholdPercent) return 0;
  return Math.max(0, used - (disk.capacityBytes * policy.lowThresholdPercent) / 100);
}

export interface ImageGcDeps {
  runtime: Pick<ContainerRuntime, 'listImages' | 'imageIdsInUse' | 'removeImage'>;
  clock: Clock;
  log: Logger;
  policy: ImageGcPolicy;
  /** The engine's image filesystem (statfs of its data root); undefined when not visible. */
  diskUsage: () => DiskUsage | undefined;
  periodMs?: number;
}

export class ImageGC {
  readonly #records = new Map<string, ImageRecord>();
  #timer?: { cancel(): void };
  #running?: Promise<void>;
  #stopped = false;

  constructor(private readonly d: ImageGcDeps) {}

  start(): void {
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.#running;
  }

  /** One pass: record what is in use, then free space if the disk is past the threshold. */
  async garbageCollect(): Promise<EngineImage[]> {
    const now = this.d.clock.now();
    const [images, inUse] = await Promise.all([this.d.runtime.listImages(), this.d.runtime.imageIdsInUse()]);
    this.#detect(images, inUse, now);
    const disk = this.d.diskUsage();
    const need = disk ? bytesToFree(disk, this.d.policy) : 0;
    if (need === 0) return [];
    const victims = imagesToRemove(images, inUse, this.#records, now, this.d.policy.minAgeMs, need);
    const removed: EngineImage[] = [];
    for (const img of victims) {
      try {
        await this.d.runtime.removeImage(img.id);
        this.#records.delete(img.id);
        removed.push(img);
      } catch (err) {
        // In use since the list (the engine refuses): keep it, as upstream skips it.
        this.d.log.warn(
          { image: img.names[0] ?? img.id, err: errorMessage(err) },
          'image GC could not remove an image',
        );
      }
    }
    const freed = removed.reduce((n, i) => n + i.sizeBytes, 0);
    this.d.log.info({ removed: removed.map((i) => i.names[0] ?? i.id), freed, wanted: need }, 'image GC freed space');
    return removed;
  }

  #detect(images: EngineImage[], inUse: Set<string>, now: number): void {
    const present = new Set(images.map((i) => i.id));
    for (const id of [...this.#records.keys()]) if (!present.has(id)) this.#records.delete(id);
    for (const img of images) {
      const r = this.#records.get(img.id) ?? { firstDetectedMs: now, lastUsedMs: 0 };
      if (inUse.has(img.id)) r.lastUsedMs = now;
      this.#records.set(img.id, r);
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.d.clock.setTimeout(() => {
      this.#running = this.garbageCollect()
        .then(() => undefined)
        .catch((err: unknown) => this.d.log.warn({ err: errorMessage(err) }, 'image GC failed'))
        .finally(() => this.#schedule());
    }, this.d.periodMs ?? IMAGE_GC_PERIOD_MS);
  }
}
