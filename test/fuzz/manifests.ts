// Generated and mutated manifests for fuzz tests: a seeded PRNG (the seed is part of
// every failure message, so a run can be replayed), valid pods/Secrets/ConfigMaps as
// a start, then random mutations: deleted fields, wrong JSON types, huge and deep
// values, Object.prototype names as keys, bad names, duplicate containers, unicode,
// random bytes and broken YAML.
import { stringify } from 'yaml';

export const BUSYBOX = 'minikubelet.local/busybox:1.35';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzInput {
  /** What was done to it (for failure messages). */
  what: string;
  /** The text sent or written. */
  text: string;
  contentType: 'application/json' | 'application/yaml';
  /** The kind's resource, for the API path. */
  resource: 'pods' | 'secrets' | 'configmaps';
  /** metadata.name when it is still a string. */
  name?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export class ManifestFuzzer {
  readonly #rnd: () => number;
  constructor(
    readonly seed: number,
    readonly prefix: string,
  ) {
    this.#rnd = prng(seed);
  }

  int(n: number): number {
    return Math.floor(this.#rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** A valid object of one of the three kinds (mostly pods). */
  base(i: number): Record<string, Json> {
    const name = `${this.prefix}-${i}`;
    const r = this.int(10);
    if (r === 0) return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { k: 'v' } };
    if (r === 1) return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } };
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { fuzz: this.prefix } },
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'c',
            image: BUSYBOX,
            imagePullPolicy: 'Never',
            command: ['sh', '-c', 'exit 0'],
            env: [{ name: 'A', value: 'b' }],
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: '100m', memory: '16Mi' } },
          },
        ],
      },
    };
  }

  /** One input: a base object with 1–3 mutations, serialised as JSON or YAML (or raw garbage). */
  next(i: number): FuzzInput {
    const obj = this.base(i);
    const what: string[] = [];
    let text: string | undefined;
    for (let m = 1 + this.int(3); m > 0; m--) {
      const r = this.int(100);
      if (r < 4) {
        text = this.garbage();
        what.push('garbage');
        break;
      }
      what.push(this.mutate(obj));
    }
    const yaml = this.int(3) === 0;
    text ??= expandDeep(yaml ? stringify(obj, { aliasDuplicateObjects: false }) : JSON.stringify(obj));
    const kind = obj.kind;
    const resource = kind === 'Secret' ? 'secrets' : kind === 'ConfigMap' ? 'configmaps' : 'pods';
    const meta = obj.metadata;
    const name =
      meta && typeof meta === 'object' && !Array.isArray(meta) && typeof meta.name === 'string' ? meta.name : undefined;
    return {
      what: `#${i} (seed ${this.seed}): ${what.join(', ')}`,
      text,
      contentType: yaml ? 'application/yaml' : 'application/json',
      resource,
      ...(name !== undefined ? { name } : {}),
    };
  }

  /** One random mutation at a random path; returns its description. */
  mutate(obj: Record<string, Json>): string {
    const paths = collectPaths(obj);
    const [path, parent, key] = this.pick(paths);
    const op = this.int(12);
    const set = (v: Json) => {
      (parent as Record<string, Json>)[key as string] = v;
    };
    switch (op) {
      case 0:
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Record<string, Json>)[key as string];
        return `delete ${path}`;
      case 1:
        set(this.wrongType());
        return `wrong type at ${path}`;
      case 2:
        set('x'.repeat(this.pick([300, 70_000, 1 << 20])));
        return `huge string at ${path}`;
      case 3: {
        const depth = this.pick([100, 499, 501, 5_000, 10_001]);
        set(deep(depth));
        return `nesting ${depth} at ${path}`;
      }
      case 4: {
        const k = this.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']);
        const target = isObj(parent[key as never]) ? (parent[key as never] as Record<string, Json>) : obj;
        Object.defineProperty(target, k, {
          value: { polluted: 1 },
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return `key ${k} under ${path}`;
      }
      case 5:
        set(this.pick([-1, -2147483649, 2 ** 63, 1e308, 0.5, Number.MAX_SAFE_INTEGER]));
        return `odd number at ${path}`;
      case 6:
        set(this.pick(['', 'UPPER', 'a'.repeat(300), 'ünïcødé-☺', 'a/b', '..', 'x\u0000y', '-lead', '\ud800']));
        return `odd string at ${path}`;
      case 7: {
        const spec = obj.spec;
        if (isObj(spec) && Array.isArray(spec.containers) && spec.containers.length > 0) {
          spec.containers.push(structuredClone(spec.containers[0]!));
          return 'duplicate container';
        }
        set(null);
        return `null at ${path}`;
      }
      case 8: {
        const meta = obj.metadata;
        if (isObj(meta)) meta.name = this.pick(['', 'Bad_Name', 'a'.repeat(254), '-x', 'x.', '☺']);
        return 'invalid name';
      }
      case 9:
        set(null);
        return `null at ${path}`;
      case 10: {
        const meta = obj.metadata;
        if (isObj(meta)) meta.namespace = this.pick(['other', 'BAD', '']);
        return 'namespace';
      }
      default: {
        const target = isObj(parent[key as never]) ? (parent[key as never] as Record<string, Json>) : obj;
        target[`unknown${this.int(5)}`] = 'x';
        return `unknown field under ${path}`;
      }
    }
  }

  wrongType(): Json {
    return this.pick<Json>(['str', 42, -7.5, true, [], [1, 'a'], {}, { a: { b: 1 } }, null]);
  }

  /** Random bytes, truncated documents, tabs, unbalanced flow, alias bombs. */
  garbage(): string {
    const r = this.int(6);
    if (r === 0) return Buffer.from(Array.from({ length: 1 + this.int(2000) }, () => this.int(256))).toString('latin1');
    if (r === 1) return '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": ';
    if (r === 2) return 'apiVersion: v1\nkind: Pod\n\tmetadata: {name: x}\n';
    if (r === 3) return `apiVersion: v1\nkind: Pod\nmetadata: ${'['.repeat(100_000)}`;
    if (r === 4)
      return 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n${Array.from({ length: 600 }, (_, i) => `${' '.repeat(i + 2)}k:`).join('\n')}\n`;
  }
}

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep values are written into the text after serialisation: the serialisers
 * themselves would overflow this process's stack near a few thousand levels.
 */
function deep(n: number): Json {
  return `DEEPMARK${n}X`;
}

function expandDeep(text: string): string {
  return text.replace(/["']?DEEPMARK(\d+)X["']?/g, (_, n: string) => {
    const half = Math.floor(Number(n) / 2);
    return `${'[{"a": '.repeat(half)}"leaf"${'}]'.repeat(half)}`;
  });
}

/** Every (path, parent, key) of the object's tree, the root's own keys included. */
function collectPaths(root: Record<string, Json>): [string, Record<string, Json> | Json[], string | number][] {
  const out: [string, Record<string, Json> | Json[], string | number][] = [];
  const walk = (v: Json, path: string) => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        out.push([`${path}[${i}]`, v, i]);
        walk(x, `${path}[${i}]`);
      });
    else if (isObj(v))
      for (const [k, x] of Object.entries(v)) {
        out.push([path ? `${path}.${k}` : k, v, k]);
        walk(x, path ? `${path}.${k}` : k);
      }
  };
  walk(root, '');
  return out;
}
