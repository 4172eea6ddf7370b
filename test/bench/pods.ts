// The pods the benchmark runs. All use the locally built busybox image; containers that
// should stop fast on a graceful delete trap SIGTERM (as PID 1 a bare `sleep` ignores it).
import { LOCAL_BUSYBOX_IMAGE } from '../../src/options.js';

export const NS = 'default';
export const BENCH_POD_LABEL = 'bench.minikubelet.io/run';

/** Exits at once on SIGTERM. */
export const TRAP = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];
/** Ignores SIGTERM (PID 1 without a handler): only SIGKILL stops it. */
export const SLEEP = ['sleep', '3600'];

export type PodKind = 'one' | 'three' | 'three-init' | 'ready' | 'two' | 'sleep' | 'steady';

interface Manifest {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown> & { containers: Record<string, unknown>[]; initContainers?: Record<string, unknown>[] };
}

const c = (name: string, command: string[], extra: Record<string, unknown> = {}) => ({
  name,
  image: LOCAL_BUSYBOX_IMAGE,
  command,
  ...extra,
});

/** The probe period of a `steady` pod, in seconds. */
export function podManifest(kind: PodKind, name: string, runId: string, periodSeconds = 10): Manifest {
  const meta = { name, namespace: NS, labels: { [BENCH_POD_LABEL]: runId } };
  const pod = (spec: Manifest['spec']): Manifest => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec: { terminationGracePeriodSeconds: 30, ...spec },
  });
  switch (kind) {
    case 'one':
      return pod({ containers: [c('c0', TRAP)] });
    case 'two':
      return pod({ containers: [c('c0', TRAP), c('c1', TRAP)] });
    case 'three':
      return pod({ containers: [c('c0', TRAP), c('c1', TRAP), c('c2', TRAP)] });
    case 'sleep':
      return pod({ containers: [c('c0', SLEEP)] });
    case 'three-init':
      return pod({
        initContainers: [c('init', ['true'])],
        containers: [c('c0', TRAP), c('c1', TRAP), c('c2', TRAP)],
      });
    case 'ready':
      return pod({
        containers: [
          c('web', ['sh', '-c', "trap 'exit 0' TERM; httpd -f -p 8080 & wait"], {
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          }),
        ],
      });
    case 'steady':
      return pod({ containers: steadyContainers(periodSeconds) });
  }
}

/**
 * Steady-state pods: `app` has an exec liveness probe and a tcpSocket readiness probe
 * (its httpd on 8080); `web` has an httpGet liveness probe served by a CGI script.
 * Each probe that reaches the pod appends the host's /proc/uptime (10 ms resolution,
 * the same clock inside and outside containers) to a file, so probe timing is measured
 * from the pod's side without any hook in the agent.
 */
function steadyContainers(period: number): Record<string, unknown>[] {
  // p: the agent's httpGet probe; r (RAW_HTTP_PATH): the raw baseline's GET (test/bench/raw-prober.ts).
  const cgi = (log: string) =>
    `#!/bin/sh\\ncat /proc/uptime >> ${log}\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\nok\\\\n"\\n`;
  return [
    c('app', ['sh', '-c', "trap 'exit 0' TERM; httpd -f -p 8080 & wait"], {
      livenessProbe: {
        exec: { command: ['sh', '-c', 'cat /proc/uptime >> /tmp/exec.log'] },
        periodSeconds: period,
        timeoutSeconds: 5,
      },
      readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: period },
    }),
    c(
      'web',
      [
        'sh',
        '-c',
        `trap 'exit 0' TERM; mkdir -p /www/cgi-bin && printf '${cgi('/tmp/http.log')}' > /www/cgi-bin/p && printf '${cgi(RAW_HTTP_LOG)}' > /www${RAW_HTTP_PATH} && chmod +x /www/cgi-bin/p /www${RAW_HTTP_PATH} && httpd -f -p 8081 -h /www & wait`,
      ],
      {
        livenessProbe: { httpGet: { path: '/cgi-bin/p', port: 8081 }, periodSeconds: period, timeoutSeconds: 5 },
      },
    ),
  ];
}

export const PROBE_LOGS = [
  { container: 'app', file: '/tmp/exec.log', probe: 'exec' },
  { container: 'web', file: '/tmp/http.log', probe: 'httpGet' },
] as const;

/** Where the raw baseline's probes (test/bench/raw-prober.ts) leave their marks. */
export const RAW_EXEC_LOG = '/tmp/raw-exec.log';
export const RAW_HTTP_LOG = '/tmp/raw-http.log';
/** The raw baseline's GET; its CGI script appends to RAW_HTTP_LOG. */
export const RAW_HTTP_PATH = '/cgi-bin/r';
export const RAW_PROBE_LOGS = [
  { container: 'app', file: RAW_EXEC_LOG, probe: 'exec' },
  { container: 'web', file: RAW_HTTP_LOG, probe: 'httpGet' },
] as const;
