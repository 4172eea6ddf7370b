// Node resource quantities: --system-reserved parsing and the canonical forms the API
// server prints (apimachinery resource.Quantity String(): CPU in whole cores or milli,
// bytes with the largest binary suffix that divides them exactly).
import { parseQuantity } from '../apis/core/quantity.js';
import { formatBinarySI } from '../apis/stats/quantity.js';

/** The resources --system-reserved may name (kubelet's ParseResourceList allows these). */
const RESERVABLE = new Set(['cpu', 'memory', 'ephemeral-storage', 'pid']);

/**
 * `cpu=100m,memory=100Mi` → { cpu: 0.1, memory: 104857600 } (numbers: cores, bytes), as the
 * kubelet's --system-reserved flag (cliflag.ConfigurationMap + ParseResourceList). Throws
 * an Error naming the bad entry.
 */
export function parseSystemReserved(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of text.split(',').map((s) => s.trim())) {
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`--system-reserved: ${JSON.stringify(entry)}: expected NAME=QUANTITY`);
    const name = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (!RESERVABLE.has(name))
      throw new Error(`--system-reserved: ${name}: unsupported resource (supported: ${[...RESERVABLE].join(', ')})`);
    try {
      out[name] = parseQuantity(value);
    } catch {
      throw new Error(`--system-reserved: ${name}: invalid quantity ${JSON.stringify(value)}`);
    }
  }
  return out;
}

/** Cores as the API prints them: `4`, `3900m`. */
export function formatCpu(cores: number): string {
  const milli = Math.max(0, Math.round(cores * 1000));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes as the API prints a BinarySI quantity: `16Gi`, `16331388Ki`, `1000` (one formatter for the node and the metrics). */
export const formatBytes = formatBinarySI;
