// Usage as canonical quantities, the way metrics-server builds them (pkg/storage/types.go:
// resource.NewScaledQuantity(nanocores, -9) and resource.NewQuantity(bytes, BinarySI))
// and apimachinery's Quantity.String() prints them.
export { formatBytes } from '../node/resources.js';

const DECIMAL_SUFFIXES: [number, string][] = [
  [1e9, ''],
  [1e6, 'm'],
  [1e3, 'u'],
];

/** Nanocores with the largest exact decimal suffix: 1253427 → `1253427n`, 2000000 → `2m`, 1e9 → `1`. */
export function formatNanoCores(nanoCores: number): string {
  const n = Math.max(0, Math.round(nanoCores));
  if (n === 0) return '0';
  for (const [size, suffix] of DECIMAL_SUFFIXES) if (n % size === 0) return `${n / size}${suffix}`;
  return `${n}n`;
}
