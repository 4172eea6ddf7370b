// The agent's API credentials, created at first start and reused after: a CA, a serving
// certificate for the listen addresses, and a bearer token. They live in <root>/pki,
// a 0700 dir of 0600 files, like the kubelet's --cert-dir (pkg/kubelet/certificate).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../util/private-file.js';
import type { SubjectAltNames } from './sans.js';
import { certUsable } from './cert-usable.js';
import type { CertAndKey } from './x509.js';
import { lazy } from '../util/lazy.js';

// The certificate builder (@peculiar/x509 and its ASN.1 schemas) is loaded only when a
// certificate must be issued: at first start, or when one is renewed (#17).
const issuer = lazy(() => import('./x509.js'));

export interface AgentCredentials {
  /** The directory holding them (`<root>/pki`). */
  dir: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** The current bearer token. */
  token: string;
}

const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  cert: 'apiserver.crt',
  key: 'apiserver.key',
  sans: 'apiserver.sans.json',
  token: 'token',
} as const;

/** A serving certificate this close to expiry is replaced at start (kubelet rotates at ~70-90%). */
const RENEW_DAYS_LEFT = 30;

export function credentialsDir(rootDir: string): string {
  return join(rootDir, 'pki');
}

function read(dir: string, file: string): string | undefined {
  const p = join(dir, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** A new random token: 32 bytes, base64url (kubeadm's bootstrap tokens are shorter; this is a long-lived secret). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Writes a new token and returns it; a running agent picks it up on its next request. */
export function rotateToken(dir: string): string {
  const token = newToken();
  writePrivateFile(join(dir, FILES.token), `${token}\n`);
  return token;
}

async function loadOrCreateCa(dir: string, now: Date): Promise<CertAndKey & { fresh: boolean }> {
  const certPem = read(dir, FILES.caCert);
  const keyPem = read(dir, FILES.caKey);
  if (certPem && keyPem && certUsable(certPem, now, 0)) return { certPem, keyPem, fresh: false };
  const ca = await (await issuer()).createCa('minikubelet-ca', now);
  writePrivateFile(join(dir, FILES.caKey), ca.keyPem);
  writePrivateFile(join(dir, FILES.caCert), ca.certPem);
  return { ...ca, fresh: true };
}

/**
 * Loads the credentials in `dir`, creating what is missing: the CA once, the serving
 * certificate whenever the CA is new, the SANs changed or it nears expiry, the token once.
 */
export async function loadOrCreateCredentials(
  dir: string,
  sans: SubjectAltNames,
  now = new Date(),
): Promise<AgentCredentials> {
  ensurePrivateDir(dir);
  const ca = await loadOrCreateCa(dir, now);
  const wantSans = JSON.stringify(sans);
  let certPem = read(dir, FILES.cert);
  let keyPem = read(dir, FILES.key);
  const reuse =
    !ca.fresh &&
    certPem !== undefined &&
    keyPem !== undefined &&
    read(dir, FILES.sans) === wantSans &&
    certUsable(certPem, now, RENEW_DAYS_LEFT, ca.certPem);
  if (!reuse) {
    const serving = await (await issuer()).createServingCert(ca, sans, now);
    writePrivateFile(join(dir, FILES.key), serving.keyPem);
    writePrivateFile(join(dir, FILES.cert), serving.certPem);
    writePrivateFile(join(dir, FILES.sans), wantSans);
    certPem = serving.certPem;
    keyPem = serving.keyPem;
  }
  const token = read(dir, FILES.token)?.trim() || rotateToken(dir);
  return { dir, caPem: ca.certPem, certPem: certPem!, keyPem: keyPem!, token };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * The token file as the server checks it: re-read when it changes on disk, so
 * `minikubelet rotate-credentials` takes effect without a restart.
 */
export class TokenFile {
  readonly #path: string;
  #mtimeMs = -1;
  #size = -1;
  #ino = -1;
  #digest: Buffer | undefined;

  constructor(dir: string) {
    this.#path = join(dir, FILES.token);
  }

  #current(): Buffer | undefined {
    try {
      const st = statSync(this.#path);
      // A rotation renames a new file into place: a new inode even within the same mtime tick.
      if (st.mtimeMs !== this.#mtimeMs || st.size !== this.#size || st.ino !== this.#ino) {
        const token = readFileSync(this.#path, 'utf8').trim();
        this.#digest = token === '' ? undefined : digest(token);
        this.#mtimeMs = st.mtimeMs;
        this.#size = st.size;
        this.#ino = st.ino;
      }
    } catch {
      // A missing or unreadable token file accepts no token at all.
      this.#digest = undefined;
      this.#mtimeMs = -1;
    }
    return this.#digest;
  }

  /** Constant-time comparison (of digests, so the lengths always match). */
  matches(token: string): boolean {
    const want = this.#current();
    return want !== undefined && timingSafeEqual(want, digest(token));
  }
}
