// dockerode requires, when it loads, two parts the agent rarely or never uses: its
// BuildKit session (lib/session.js: @grpc/grpc-js, @grpc/proto-loader, protobufjs,
// uuid — only for builds with `version: '2'`) and docker-modem's ssh:// transport
// (lib/ssh.js: ssh2). Together about half of dockerode's load time and a good part of
// the agent's idle memory (#17). Both modules export a single function, so each is
// replaced in the CommonJS cache by a stand-in that loads the real one on its first
// call: nothing changes for a caller but when the code is loaded.
//
// Must be evaluated before dockerode: docker-client.ts and setup/index.ts (the modules
// that load dockerode) import this first.
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

type Fn = (this: unknown, ...args: unknown[]) => unknown;

function deferFunctionModule(file: string): void {
  if (require.cache[file]) return; // already loaded (real or stand-in)
  let real: Fn | undefined;
  const standIn: Fn = function (this: unknown, ...args: unknown[]) {
    if (!real) {
      delete require.cache[file];
      real = require(file) as Fn;
    }
    return real.apply(this, args);
  };
  const m = new Module(file);
  m.filename = file;
  m.loaded = true;
  m.exports = standIn;
  require.cache[file] = m;
}

const dockerodeMain = require.resolve('dockerode');
deferFunctionModule(require.resolve('./session.js', { paths: [dirname(dockerodeMain)] }));
deferFunctionModule(require.resolve('docker-modem/lib/ssh.js', { paths: [dirname(dockerodeMain)] }));
