// A small path router: patterns like `/api/v1/namespaces/:namespace/pods/:name`,
// one handler per method. A known path with an unknown method is a 405.
import type { Handler } from './http-util.js';

export interface Route {
  pattern: string;
  /** The resource in error details (`pods`), if any. */
  resource?: string;
  methods: Partial<Record<string, Handler>>;
}

interface Compiled {
  route: Route;
  segments: string[];
}

export type Match =
  | { kind: 'found'; route: Route; handler: Handler; path: Record<string, string> }
  | { kind: 'method'; route: Route; path: Record<string, string> }
  | { kind: 'none' };

export class Router {
  readonly #routes: Compiled[] = [];

  add(route: Route): this {
    this.#routes.push({ route, segments: route.pattern.split('/').filter(Boolean) });
    return this;
  }

  match(method: string, pathname: string): Match {
    let segs: string[];
    try {
      segs = pathname
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
    } catch {
      return { kind: 'none' };
    }
    let methodMiss: Match | undefined;
    for (const c of this.#routes) {
      const path = matchSegments(c.segments, segs);
      if (!path) continue;
      const handler = c.route.methods[method] ?? (method === 'HEAD' ? c.route.methods.GET : undefined);
      if (handler) return { kind: 'found', route: c.route, handler, path };
      methodMiss ??= { kind: 'method', route: c.route, path };
    }
    return methodMiss ?? { kind: 'none' };
  }
}

function matchSegments(pattern: string[], segs: string[]): Record<string, string> | undefined {
  if (pattern.length !== segs.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segs[i]!;
    if (p.startsWith(':')) {
      if (s === '') return undefined;
      params[p.slice(1)] = s;
    } else if (p !== s) {
      return undefined;
    }
  }
  return params;
}
