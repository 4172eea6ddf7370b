// Object keys that come from clients are data. `obj[k]` for k = `__proto__`,
// `constructor`, `toString`… reads Object.prototype's members, and `obj[k] = v` for
// `__proto__` sets the prototype instead of a key: both turn a field name into behaviour.
// These helpers read and write own properties only.

/** The own property `k` of `obj`, or undefined (never an inherited member). */
export function ownValue<T>(obj: Readonly<Record<string, T>>, k: string): T | undefined {
  return Object.hasOwn(obj, k) ? obj[k] : undefined;
}

/** Sets `obj[k] = v` as an own, enumerable data property, whatever `k` is. */
export function setOwn(obj: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
}
