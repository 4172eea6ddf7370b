// prom-client requires @opentelemetry/api (51 CommonJS modules, ~15 ms to load here) as it
// loads, for one use: the trace and span ids of exemplars on process_cpu_seconds_total
// (lib/metrics/processCpuTotal.js), which the agent never enables (#17, lever 3). The
// module is put in the CommonJS cache as a stand-in whose properties load the real one on
// first access, as dockerode-deferred.ts does for dockerode's unused parts: nothing
// changes for prom-client but when the code is loaded.
//
// Must be evaluated before prom-client: prometheus.ts imports this first.
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** Replaces `file` in the CommonJS cache by an object that loads it on its first property access. */
export function deferObjectModule(file: string): void {
  if (require.cache[file]) return; // already loaded (real or stand-in)
  let real: Record<PropertyKey, unknown> | undefined;
  const load = () => {
    if (!real) {
      delete require.cache[file];
      real = require(file) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const m = new Module(file);
  m.filename = file;
  m.loaded = true;
  m.exports = new Proxy(
    {},
    {
      get: (_, key) => load()[key],
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        return d ? { ...d, configurable: true } : undefined;
      },
    },
  );
  require.cache[file] = m;
}

const cpuTotal = require.resolve('prom-client/lib/metrics/processCpuTotal.js');
deferObjectModule(require.resolve('@opentelemetry/api', { paths: [dirname(cpuTotal)] }));
