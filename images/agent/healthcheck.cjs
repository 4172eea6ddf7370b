// HEALTHCHECK of the agent's image (the top-level Dockerfile): GET /healthz at the URL the
// running agent wrote into its kubeconfig, trusting the CA written there. The agent is PID 1;
// its --root-dir is read from /proc/1/cmdline, so any --root-dir and --listen (port 0 too)
// work without repeating them here. Exit 0 = healthy, 1 = not.
'use strict';
const fs = require('node:fs');
const https = require('node:https');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

function flag(args, name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

try {
  const args = fs.readFileSync('/proc/1/cmdline', 'utf8').split('\0');
  const root = flag(args, '--root-dir') || path.join(os.homedir(), '.minikubelet');
  const kubeconfig = fs.readFileSync(path.join(root, 'kubeconfig'), 'utf8');
  const server = /^\s*server:\s*"?([^"\s]+)"?\s*$/m.exec(kubeconfig)?.[1];
  const ca = /^\s*certificate-authority-data:\s*"?([^"\s]+)"?\s*$/m.exec(kubeconfig)?.[1];
  if (!server) throw new Error(`no server in ${root}/kubeconfig`);
  const url = new URL('/healthz', server);
  const get = url.protocol === 'https:' ? https.get : http.get;
  const options = { timeout: 2500, ...(ca ? { ca: Buffer.from(ca, 'base64') } : {}) };
  get(url, options, (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  })
    .on('timeout', () => {
      console.error('timeout');
      process.exit(1);
    })
    .on('error', (e) => {
      console.error(e.message);
      process.exit(1);
    });
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
