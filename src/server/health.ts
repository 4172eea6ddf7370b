// /healthz, /livez, /readyz as the kubelet's healthz server answers them
// (staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go handleRootHealth): "ok"
// when every check passes, else HTTP 500 with one `[+]name ok` / `[-]name failed: …`
// line per check and `healthz check failed`. Upstream withholds a failed check's
// reason from the body; here it is shown (the node's checks carry no secret, and the
// reason — "container runtime is down" — is what an operator needs). `?verbose` lists
// the checks on success too.
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import { sendText } from './http-util.js';
import type { HealthCheck } from './node-facade.js';

export function healthHandler(d: ApiDeps): Handler {
  return async (req, res) => {
    const checks: HealthCheck[] = [{ name: 'ping' }, ...(d.node.healthChecks?.() ?? [])];
    const failed = checks.some((c) => c.error !== undefined);
    const verbose = new URL(req.url ?? '/', 'http://x').searchParams.has('verbose');
    if (!failed && !verbose) return sendText(res, 200, 'ok');
    const lines = checks.map((c) => (c.error === undefined ? `[+]${c.name} ok` : `[-]${c.name} failed: ${c.error}`));
    const last = failed ? 'healthz check failed' : 'healthz check passed';
    sendText(res, failed ? 500 : 200, `${lines.join('\n')}\n${last}\n`);
  };
}
