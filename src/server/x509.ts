// Certificates for the agent's API: a CA and a serving certificate signed by it, built
// with @peculiar/x509 on Node's WebCrypto (ECDSA P-256), the way kubeadm's certs phase
// lays out a self-signed CA and the apiserver's serving cert (cmd/kubeadm/app/phases/certs).
import 'reflect-metadata'; // @peculiar/x509 resolves its providers through tsyringe, which needs it.
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { SubjectAltNames } from './sans.js';

// Node 20 has WebCrypto as globalThis.crypto; set it explicitly so no other provider is picked.
x509.cryptoProvider.set(globalThis.crypto);

type CryptoKey = webcrypto.CryptoKey;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;
/** CA: 10 years (kubeadm's CA lifetime); serving cert: 1 year (kubeadm's leaf lifetime). */
export const CA_VALIDITY_DAYS = 3650;
export const SERVING_VALIDITY_DAYS = 365;

export interface CertAndKey {
  certPem: string;
  keyPem: string;
}

function serial(): string {
  // A positive 128-bit serial (the top bit cleared so DER does not read it as negative).
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

async function keyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('no private key in PEM');
  return webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  // Back-dated a little, so a client whose clock is slightly behind still accepts it.
  return { notBefore: new Date(now.getTime() - 5 * 60_000), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

export async function createCa(commonName: string, now = new Date()): Promise<CertAndKey> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    ...validity(now, CA_VALIDITY_DAYS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

/** A serving certificate for `sans`, signed by the CA. */
export async function createServingCert(ca: CertAndKey, sans: SubjectAltNames, now = new Date()): Promise<CertAndKey> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=minikubelet',
    issuer: caCert.subject,
    ...validity(now, SERVING_VALIDITY_DAYS),
    publicKey: keys.publicKey,
    signingKey: await importKey(ca.keyPem),
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...sans.dns.map((value) => ({ type: 'dns' as const, value })),
        ...sans.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}
