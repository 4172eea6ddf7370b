// A bounded in-memory event store that aggregates repeats the way the client-go
// event correlator does: same object, field path, type, reason and message → count++.
import { randomBytes } from 'node:crypto';
import type { KubeEvent, ValidPod, WatchEventType } from '../apis/core/types.js';
import { rfc3339, type Clock } from '../util/clock.js';
import type { EventReason } from './reasons.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSink {
  /**
   * Record an event about a pod, optionally about one of its containers. `component`:
   * who reports it (default the kubelet; `default-scheduler` for FailedScheduling).
   */
  event(
    pod: ValidPod,
    type: EventType,
    reason: EventReason | string,
    message: string,
    fieldPath?: string,
    component?: string,
  ): void;
}

/** Events about the node itself (involvedObject kind Node), e.g. a bad static pod manifest. */
export interface NodeEventSink {
  nodeEvent(type: EventType, reason: string, message: string): void;
}

/** The object an event is about (v1.ObjectReference, as the event's involvedObject). */
interface InvolvedObject {
  apiVersion: 'v1';
  kind: string;
  name: string;
  namespace?: string;
  uid: string;
  fieldPath?: string;
}

export type EventListener = (type: WatchEventType, ev: KubeEvent) => void;

export class EventRecorder implements EventSink, NodeEventSink {
  readonly #events = new Map<string, KubeEvent>();
  readonly #listeners = new Set<EventListener>();

  constructor(
    private readonly deps: { clock: Clock; nodeName: string; nextResourceVersion: () => string; maxEvents?: number },
  ) {}

  event(
    pod: ValidPod,
    type: EventType,
    reason: string,
    message: string,
    fieldPath?: string,
    component = 'kubelet',
  ): void {
    const { name, namespace, uid } = pod.metadata;
    this.#record(
      { apiVersion: 'v1', kind: 'Pod', name, namespace, uid, ...(fieldPath ? { fieldPath } : {}) },
      type,
      reason,
      message,
      component,
    );
  }

  /**
   * An event about the node: the kubelet's nodeRef has kind Node, the node name as
   * both name and UID, and no namespace, so the event itself lands in `default`
   * (pkg/kubelet/kubelet.go NewMainKubelet nodeRef).
   */
  nodeEvent(type: EventType, reason: string, message: string): void {
    const node = this.deps.nodeName;
    this.#record({ apiVersion: 'v1', kind: 'Node', name: node, uid: node }, type, reason, message);
  }

  /**
   * An event about another namespaced core/v1 object (a PersistentVolumeClaim), as the
   * controller named by `component` reports it (persistentvolume-controller).
   */
  objectEvent(
    obj: { kind: string; metadata: { name?: string; namespace?: string; uid?: string } },
    type: EventType,
    reason: string,
    message: string,
    component: string,
  ): void {
    const { name = '', namespace, uid = '' } = obj.metadata;
    this.#record(
      { apiVersion: 'v1', kind: obj.kind, name, uid, ...(namespace ? { namespace } : {}) },
      type,
      reason,
      message,
      component,
    );
  }

  #record(involved: InvolvedObject, type: EventType, reason: string, message: string, component = 'kubelet'): void {
    const key = [involved.uid, involved.fieldPath ?? '', type, reason, message].join('\u0000');
    const now = rfc3339(this.deps.clock.now());
    const existing = this.#events.get(key);
    if (existing) {
      existing.count += 1;
      existing.lastTimestamp = now;
      existing.metadata.resourceVersion = this.deps.nextResourceVersion();
      // Re-insert so the map's order stays "least recently updated first" for eviction.
      this.#events.delete(key);
      this.#events.set(key, existing);
      this.#emit('MODIFIED', existing);
      return;
    }
    const ev: KubeEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.name}.${randomBytes(8).toString('hex')}`,
        namespace: involved.namespace ?? 'default',
        uid: crypto.randomUUID(),
        resourceVersion: this.deps.nextResourceVersion(),
        creationTimestamp: now,
      },
      involvedObject: involved,
      reason,
      message,
      // The scheduler's events name no host (it is no node's component).
      source: component === 'kubelet' ? { component, host: this.deps.nodeName } : { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? this.deps.nodeName : component,
    };
    this.#events.set(key, ev);
    this.#evict();
    this.#emit('ADDED', ev);
  }

  list(namespace?: string): KubeEvent[] {
    const all = [...this.#events.values()];
    const filtered = namespace ? all.filter((e) => e.metadata.namespace === namespace) : all;
    return filtered.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  }

  forPod(uid: string): KubeEvent[] {
    return this.list().filter((e) => e.involvedObject.uid === uid);
  }

  subscribe(l: EventListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #evict(): void {
    const max = this.deps.maxEvents ?? 1000;
    while (this.#events.size > max) {
      const oldestKey = this.#events.keys().next().value as string;
      const ev = this.#events.get(oldestKey)!;
      this.#events.delete(oldestKey);
      this.#emit('DELETED', ev);
    }
  }

  #emit(type: WatchEventType, ev: KubeEvent): void {
    for (const l of this.#listeners) l(type, ev);
  }
}
