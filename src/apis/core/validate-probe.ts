// Probes and lifecycle hooks (validateProbe, validateHandler, validateLifecycle).
// Each needs exactly one handler; the Forbidden error lands on the second
// handler's path, as in the API server: `livenessProbe.tcpSocket: Forbidden: …`.

import type { FieldError } from '../../util/errors.js';
import { child, forbidden, index, invalid, nonNegative, notSupported, required } from './field.js';
import { isValidPortName, isValidPortNum } from './names.js';
import type { HTTPGetAction, Lifecycle, LifecycleHandler, Probe, TCPSocketAction } from './types.js';

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const HOOK_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;
const HEADER_NAME = /^[-A-Za-z0-9]+$/;

/** `portNames` are the container's declared port names, for named-port references. */
export function validateProbe(p: Probe, kind: ProbeKind, path: string, portNames: Set<string>): FieldError[] {
  const errs = validateHandler(p as Record<string, unknown>, PROBE_HANDLERS, path, portNames);
  errs.push(...nonNegative(child(path, 'initialDelaySeconds'), p.initialDelaySeconds));
  // After defaulting these are ≥ 1; zero only survives when validating undefaulted input.
  for (const f of ['timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = p[f];
    if (v === undefined) continue;
    if (v < 0) errs.push(...nonNegative(child(path, f), v));
    else if (v === 0) errs.push(invalid(child(path, f), v, 'must be greater than or equal to 1'));
  }
  if (
    (kind === 'livenessProbe' || kind === 'startupProbe') &&
    p.successThreshold !== undefined &&
    p.successThreshold !== 1
  ) {
    errs.push(invalid(child(path, 'successThreshold'), p.successThreshold, 'must be 1'));
  }
  if (p.terminationGracePeriodSeconds !== undefined) {
    if (kind === 'readinessProbe')
      errs.push(
        invalid(
          child(path, 'terminationGracePeriodSeconds'),
          p.terminationGracePeriodSeconds,
          'must not be set for readinessProbes',
        ),
      );
    else if (p.terminationGracePeriodSeconds <= 0)
      errs.push(
        invalid(
          child(path, 'terminationGracePeriodSeconds'),
          p.terminationGracePeriodSeconds,
          'must be greater than 0',
        ),
      );
  }
  return errs;
}

export function validateLifecycle(l: Lifecycle, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop'] as const) {
    const h: LifecycleHandler | undefined = l[hook];
    // Hooks resolve named ports at run time; the API server checks only their syntax.
    if (h) errs.push(...validateHandler(h as Record<string, unknown>, HOOK_HANDLERS, child(path, hook), undefined));
  }
  return errs;
}

function validateHandler(
  h: Record<string, unknown>,
  kinds: readonly string[],
  path: string,
  portNames: Set<string> | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const k of kinds) {
    if (h[k] === undefined || h[k] === null) continue;
    if (n > 0) {
      errs.push(forbidden(child(path, k), 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const p = child(path, k);
    switch (k) {
      case 'exec':
        if (!(h.exec as { command?: string[] }).command?.length) errs.push(required(child(p, 'command')));
        break;
      case 'httpGet':
        errs.push(...validateHTTPGet(h.httpGet as HTTPGetAction, p, portNames));
        break;
      case 'tcpSocket':
        errs.push(...validatePort((h.tcpSocket as TCPSocketAction).port, child(p, 'port'), portNames));
        break;
      case 'grpc': {
        const port = (h.grpc as { port?: number }).port;
        errs.push(
          ...(port === undefined
            ? [required(child(p, 'port'))]
            : isValidPortNum(port).map((m) => invalid(child(p, 'port'), port, m))),
        );
        break;
      }
      case 'sleep':
        errs.push(...nonNegative(child(p, 'seconds'), (h.sleep as { seconds?: number }).seconds));
        break;
    }
  }
  if (n === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateHTTPGet(g: HTTPGetAction, path: string, portNames: Set<string> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!g.path) errs.push(required(child(path, 'path')));
  errs.push(...validatePort(g.port, child(path, 'port'), portNames));
  if (g.scheme !== undefined && g.scheme !== 'HTTP' && g.scheme !== 'HTTPS') {
    errs.push(notSupported(child(path, 'scheme'), g.scheme, ['HTTP', 'HTTPS']));
  }
  (g.httpHeaders ?? []).forEach((hd, i) => {
    if (!HEADER_NAME.test(hd.name ?? '')) {
      errs.push(
        invalid(
          child(index(child(path, 'httpHeaders'), i), 'name'),
          hd.name ?? '',
          "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
        ),
      );
    }
  });
  return errs;
}

/** An int port must be a valid number; a string is a port name, which must be declared. */
function validatePort(
  port: number | string | undefined,
  path: string,
  portNames: Set<string> | undefined,
): FieldError[] {
  if (port === undefined || port === '') return [required(path)];
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(path, port, m));
  const msgs = isValidPortName(port);
  if (msgs.length > 0) return msgs.map((m) => invalid(path, port, m));
  if (portNames && !portNames.has(port)) return [invalid(path, port, 'must contain at least one port with this name')];
  return [];
}
