// One probe run (pkg/kubelet/prober/prober.go): pick the handler, retry errors up to
// 3 times, and record the events users see. Returns the result to count, or
// undefined when the probe errored and the run must be thrown away.
import type { Container, Probe, ValidPod } from '../apis/core/types.js';
import type { EventSink } from '../events/recorder.js';
import { containerFieldPath } from '../container/ref.js';
import { Reason } from '../events/reasons.js';
import { errorMessage } from '../util/errors.js';
import type { ProbeType } from './results.js';
import { execProbe, type ExecFn } from './probers/exec.js';
import { httpProbe } from './probers/http.js';
import { tcpProbe } from './probers/tcp.js';
import { lazy } from '../util/lazy.js';
import { probeHost, resolveContainerPort, ProbeError } from './target.js';
import type { ProbeOutcome } from './probers/outcome.js';

// @grpc/grpc-js and protobufjs: loaded by the first grpc probe, not at agent start (#17).
const grpcProber = lazy(() => import('./probers/grpc.js'));

/** maxProbeRetries in the kubelet. */
export const MAX_PROBE_RETRIES = 3;

export interface ProbeTarget {
  pod: ValidPod;
  container: Container;
  containerId: string;
  podIP: string | undefined;
}

export interface ProberDeps {
  exec: ExecFn;
  events: EventSink;
  /** Wraps exec probes so only so many run at once (a p-queue in production). */
  limitExec?: <T>(fn: () => Promise<T>) => Promise<T>;
}

const TITLE: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export function probeSpec(c: Container, type: ProbeType): Probe | undefined {
  return type === 'liveness' ? c.livenessProbe : type === 'readiness' ? c.readinessProbe : c.startupProbe;
}

export class Prober {
  constructor(private readonly deps: ProberDeps) {}

  /** One run: 'success' (incl. warnings) or 'failure', or undefined after 3 errors. */
  async probe(type: ProbeType, t: ProbeTarget): Promise<'success' | 'failure' | undefined> {
    const spec = probeSpec(t.container, type);
    if (!spec) return 'success';
    const fieldPath = containerFieldPath(t.pod, t.container.name);
    let outcome: ProbeOutcome | undefined;
    let lastErr: unknown;
    for (let i = 0; i < MAX_PROBE_RETRIES && !outcome; i++) {
      try {
        outcome = await this.#attempt(spec, t);
      } catch (err) {
        lastErr = err;
      }
    }
    if (!outcome) {
      this.deps.events.event(
        t.pod,
        'Warning',
        Reason.Unhealthy,
        `${TITLE[type]} probe errored and resulted in unknown state: ${errorMessage(lastErr)}`,
        fieldPath,
      );
      return undefined;
    }
    switch (outcome.result) {
      case 'success':
        return 'success';
      case 'warning':
        this.deps.events.event(
          t.pod,
          'Warning',
          Reason.ProbeWarning,
          `${TITLE[type]} probe warning: ${outcome.output}`,
          fieldPath,
        );
        return 'success';
      default:
        this.deps.events.event(
          t.pod,
          'Warning',
          Reason.Unhealthy,
          `${TITLE[type]} probe failed: ${outcome.output}`,
          fieldPath,
        );
        return 'failure';
    }
  }

  #attempt(spec: Probe, t: ProbeTarget): Promise<ProbeOutcome> {
    const timeoutSeconds = spec.timeoutSeconds!; // set at admission (apis/core/defaults.ts)
    if (spec.exec) {
      const run = () => execProbe(this.deps.exec, t.containerId, t.container, spec.exec!, timeoutSeconds);
      return this.deps.limitExec ? this.deps.limitExec(run) : run();
    }
    if (spec.httpGet) return httpProbe(spec.httpGet, t.container, t.podIP, timeoutSeconds);
    if (spec.tcpSocket) {
      const host = probeHost(spec.tcpSocket.host, t.podIP);
      return tcpProbe(host, resolveContainerPort(spec.tcpSocket.port, t.container), timeoutSeconds * 1000);
    }
    if (spec.grpc) {
      // Upstream dials status.podIP: a grpc action has no host field and no named ports.
      const g = spec.grpc;
      return grpcProber().then((m) =>
        m.grpcProbe(probeHost(undefined, t.podIP), g.port, g.service ?? '', timeoutSeconds * 1000),
      );
    }
    return Promise.reject(new ProbeError('unknown probe handler'));
  }
}
