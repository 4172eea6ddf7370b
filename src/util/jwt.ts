// Compact JWS (RFC 7515) with RS256, on node:crypto only. kube-apiserver signs its
// service-account tokens the same way (pkg/serviceaccount/jwt.go, go-jose RS256 with
// the key from --service-account-key-file, kubeadm's sa.key: RSA 2048). The agent needs
// one algorithm, one key, and its own verification; a JOSE library (jose) would add a
// dependency for what is ~60 lines here, so none is used.
import { createHash, createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * The key id kube-apiserver puts in the header (pkg/serviceaccount/jwt.go keyIDFromPublicKey):
 * the base64url SHA-256 of the public key's DER (PKIX) encoding.
 */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

/** Signs `claims` with an RSA private key (PEM): `header.payload.signature`. */
export function signJwt(claims: JwtClaims, privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  const header = { alg: 'RS256', kid: keyId(createPublicKey(key)) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${b64url(sig)}`;
}

/** The claims, when `token` is a well-formed RS256 JWS signed by `publicKey`; undefined otherwise. */
export function verifyJwt(token: string, publicKey: KeyObject): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(h);
  // Only the one algorithm we sign with: never `none`, never an HMAC keyed by the public key.
  if (header?.alg !== 'RS256') return undefined;
  const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s, 'base64url'));
  return ok ? parseJson(p) : undefined;
}

/** The payload without checking the signature (tests and diagnostics only). */
export function decodeJwtUnverified(token: string): JwtClaims | undefined {
  const p = token.split('.')[1];
  return p === undefined ? undefined : parseJson(p);
}

function parseJson(part: string): JwtClaims | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
