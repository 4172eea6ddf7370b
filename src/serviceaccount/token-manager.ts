// The kubelet's token manager (pkg/kubelet/token/token_manager.go): the projected
// serviceAccountToken source of a pod's volume gets a token requested for the pod, cached
// per (service account, namespace, audiences, expiration, pod uid) and requested again
// once 80 % of its lifetime has passed or it is older than 24 h (requiresRefresh). The
// sync rewrites projected volumes on every sync, so a refreshed token reaches the file.
import type { Clock } from '../util/clock.js';
import type { IssuedToken, TokenBinding, TokenIssuer } from './token-issuer.js';

/** token_manager.go maxTTL: a token older than this is refreshed whatever its expiry. */
const MAX_TTL_MS = 24 * 3600 * 1000;
/** Refresh when this share of the lifetime has passed (token_manager.go requiresRefresh). */
const REFRESH_FRACTION = 0.8;

export interface TokenRequest {
  namespace: string;
  serviceAccountName: string;
  pod: { name: string; uid: string };
  audience?: string;
  expirationSeconds: number;
}

export class TokenManager {
  readonly #cache = new Map<string, IssuedToken>();

  constructor(
    private readonly issuer: TokenIssuer,
    private readonly clock: Clock,
    /** The ServiceAccount's uid, undefined when it does not exist. */
    private readonly serviceAccountUid: (namespace: string, name: string) => string | undefined,
  ) {}

  /** The pod's token for `req`; throws `failed to fetch token: …` when it cannot be requested. */
  getToken(req: TokenRequest): string {
    const key = cacheKey(req);
    const now = this.clock.now();
    const cached = this.#cache.get(key);
    if (cached && !requiresRefresh(cached, now)) return cached.token;
    const saUid = this.serviceAccountUid(req.namespace, req.serviceAccountName);
    if (saUid === undefined) {
      // The cached token may still be valid until it expires (the kubelet keeps serving it).
      if (cached && now < cached.expiresAt) return cached.token;
      throw new Error(`failed to fetch token: serviceaccounts "${req.serviceAccountName}" not found`);
    }
    const binding: TokenBinding = {
      namespace: req.namespace,
      serviceAccount: { name: req.serviceAccountName, uid: saUid },
      pod: req.pod,
      audiences: req.audience ? [req.audience] : [],
      expirationSeconds: req.expirationSeconds,
    };
    const issued = this.issuer.issue(binding, now);
    this.#cache.set(key, issued);
    return issued.token;
  }

  /** The pod is gone: its tokens are dropped (token_manager.go DeleteServiceAccountToken). */
  deletePodTokens(podUid: string): void {
    for (const k of this.#cache.keys()) if (k.endsWith(`/${podUid}`)) this.#cache.delete(k);
  }

  get size(): number {
    return this.#cache.size;
  }
}

export function requiresRefresh(t: IssuedToken, nowMs: number): boolean {
  if (nowMs > t.issuedAt + MAX_TTL_MS) return true;
  return nowMs > t.issuedAt + (t.expiresAt - t.issuedAt) * REFRESH_FRACTION;
}

function cacheKey(r: TokenRequest): string {
  return `${r.serviceAccountName}/${r.namespace}/${r.audience ?? ''}/${r.expirationSeconds}/${r.pod.uid}`;
}
