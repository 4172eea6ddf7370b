// Usage as canonical quantities, the way metrics-server builds them (pkg/storage/types.go:
// resource.NewScaledQuantity(nanocores, -9) and resource.NewQuantity(bytes, BinarySI))
// and apimachinery's Quantity.String() prints them: the largest suffix that keeps the
// value an exact integer. (node/resources.ts prints capacity with it too.)

const DECIMAL_SUFFIXES: [number, string][] = [
  [1e9, ''],
  [1e6, 'm'],
  [1e3, 'u'],
];

/** Nanocores: 1253427 → `1253427n`, 2000000 → `2m`, 1e9 → `1`. */
export function formatNanoCores(nanoCores: number): string {
  const n = Math.max(0, Math.round(nanoCores));
  if (n === 0) return '0';
  for (const [size, suffix] of DECIMAL_SUFFIXES) if (n % size === 0) return `${n / size}${suffix}`;
  return `${n}n`;
}

const BINARY_SUFFIXES: [number, string][] = [
  [2 ** 50, 'Pi'],
  [2 ** 40, 'Ti'],
  [2 ** 30, 'Gi'],
  [2 ** 20, 'Mi'],
  [2 ** 10, 'Ki'],
];

/** Bytes as a BinarySI quantity: 3506176 → `3424Ki`, 2^29 → `512Mi`, 1000 → `1000`. */
export function formatBinarySI(bytes: number): string {
  const b = Math.max(0, Math.floor(bytes));
  if (b === 0) return '0';
  for (const [size, suffix] of BINARY_SUFFIXES) if (b % size === 0) return `${b / size}${suffix}`;
  return String(b);
}
