// Bound service-account tokens, as kube-apiserver issues them for a TokenRequest
// (pkg/serviceaccount/claims.go Claims, jwt.go JWTTokenGenerator) and checks them as
// bearer tokens (jwt.go JWTTokenAuthenticator + claims.go Validate): RS256 JWTs signed
// with a key kept under <root>/pki (kubeadm's sa.key, 0600), bound to a pod's name and
// uid and to the ServiceAccount's uid. A token stops working when it expires, when its
// pod is gone (or replaced: a new uid) or when its ServiceAccount is deleted.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signJwt, verifyJwt, type JwtClaims } from '../util/jwt.js';
import { writePrivateFile } from '../util/private-file.js';

/** kube-apiserver's --service-account-issuer on kubeadm clusters (also the default API audience). */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** What a token with no audience is for: the API itself (--api-audiences defaults to the issuer). */
export const API_AUDIENCES: readonly string[] = [ISSUER];
/** The signing key's file, beside the agent's CA (kubeadm: /etc/kubernetes/pki/sa.key). */
export const SIGNING_KEY_FILE = 'sa.key';
/** Clock skew tolerated on nbf/exp, as the API server's validator (claims.go NotBefore/Expiry leeway). */
const LEEWAY_S = 60;

export interface TokenBinding {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  pod: { name: string; uid: string };
  /** Empty: the API's audiences. */
  audiences: string[];
  expirationSeconds: number;
}

export interface IssuedToken {
  token: string;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

/** Who a valid token says it is (the API server's user.Info for a service account). */
export interface ServiceAccountUser {
  username: string;
  groups: string[];
  namespace: string;
  serviceAccount: string;
}

/** What the authenticator checks the bound objects against: are they still there, with these uids? */
export interface BindingLookup {
  serviceAccountUid(namespace: string, name: string): string | undefined;
  podUid(namespace: string, name: string): string | undefined;
}

/** Loads the signing key from `pkiDir`, creating an RSA 2048 key (0600) at first start. */
export function loadOrCreateSigningKey(pkiDir: string): KeyObject {
  const path = join(pkiDir, SIGNING_KEY_FILE);
  if (existsSync(path)) return createPrivateKey(readFileSync(path, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writePrivateFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  return privateKey;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export class TokenIssuer {
  readonly #privatePem: string;
  readonly #public: KeyObject;

  constructor(privateKey: KeyObject) {
    this.#privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    this.#public = createPublicKey(privateKey);
  }

  /** A TokenRequest bound to a pod (claims.go Claims with a pod binding). */
  issue(b: TokenBinding, nowMs: number): IssuedToken {
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + b.expirationSeconds;
    const claims: JwtClaims = {
      aud: b.audiences.length > 0 ? b.audiences : [...API_AUDIENCES],
      exp,
      iat,
      iss: ISSUER,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: b.namespace,
        pod: { name: b.pod.name, uid: b.pod.uid },
        serviceaccount: { name: b.serviceAccount.name, uid: b.serviceAccount.uid },
      },
      nbf: iat,
      sub: serviceAccountUsername(b.namespace, b.serviceAccount.name),
    };
    return { token: signJwt(claims, this.#privatePem), issuedAt: iat * 1000, expiresAt: exp * 1000 };
  }

  /**
   * The user a bearer token authenticates as, or undefined: a signature of ours, our
   * issuer, an API audience, within nbf..exp, and its pod and ServiceAccount still the
   * ones it was bound to (claims.go validator.Validate looks both up by name and compares uids).
   */
  authenticate(token: string, nowMs: number, lookup: BindingLookup): ServiceAccountUser | undefined {
    const c = verifyJwt(token, this.#public);
    if (!c || c.iss !== ISSUER) return undefined;
    const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
    if (!aud.some((a) => API_AUDIENCES.includes(a as string))) return undefined;
    const now = nowMs / 1000;
    if (typeof c.exp !== 'number' || now > c.exp + LEEWAY_S) return undefined;
    if (typeof c.nbf === 'number' && now < c.nbf - LEEWAY_S) return undefined;
    const k = c['kubernetes.io'] as
      | { namespace?: string; pod?: { name?: string; uid?: string }; serviceaccount?: { name?: string; uid?: string } }
      | undefined;
    const ns = k?.namespace;
    const sa = k?.serviceaccount;
    if (!ns || !sa?.name || !sa.uid || c.sub !== serviceAccountUsername(ns, sa.name)) return undefined;
    if (lookup.serviceAccountUid(ns, sa.name) !== sa.uid) return undefined;
    // Every token this agent issues is pod-bound; an unbound one is not ours to accept.
    if (!k.pod?.name || !k.pod.uid || lookup.podUid(ns, k.pod.name) !== k.pod.uid) return undefined;
    return {
      username: serviceAccountUsername(ns, sa.name),
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      namespace: ns,
      serviceAccount: sa.name,
    };
  }
}
