// Whether a stored certificate can be kept, on Node's own X509Certificate: checked at
// every start, so it must not load @peculiar/x509 (only needed to issue one, #17).
import { X509Certificate } from 'node:crypto';

const DAY_MS = 24 * 3600 * 1000;

/** The certificate parses, is valid at `now` and for at least `minDaysLeft` more days, and (if given) is signed by `ca`. */
export function certUsable(certPem: string, now: Date, minDaysLeft: number, caPem?: string): boolean {
  try {
    const c = new X509Certificate(certPem);
    if (new Date(c.validFrom).getTime() > now.getTime()) return false;
    if (new Date(c.validTo).getTime() < now.getTime() + minDaysLeft * DAY_MS) return false;
    if (caPem) {
      const ca = new X509Certificate(caPem);
      if (!c.checkIssued(ca) || !c.verify(ca.publicKey)) return false;
    }
    return true;
  } catch {
    return false;
  }
}
