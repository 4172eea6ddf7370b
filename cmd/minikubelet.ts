#!/usr/bin/env node
// minikubelet: entry point. Dispatches to the verbs in src/cli.
import { readFileSync } from 'node:fs';
import { formatError } from '../src/cli/output.js';

const HELP = `minikubelet: a mini-kubelet that runs Kubernetes Pods on the local Docker engine.

Agent:
  serve                 run the node agent (static pods from --manifests + its Kubernetes API)
  run -f FILE           run pods in the foreground, without a daemon; Ctrl-C tears them down
  setup                 start/install the Docker engine and build the local images
  kubeconfig [--raw]    print the path (or content) of the agent's kubeconfig: URL, CA, token
  rotate-credentials    replace the API's bearer token (takes effect at once)

Client (like kubectl, against the agent's API):
  apply -f FILE         create pods, secrets and configmaps from manifests
  get pods [NAME]       list pods (-o wide|json|yaml|name, -w, -A)
  get events            list events (-w)
  describe pod NAME     show a pod's details and events, and its pause container (sandbox)
  inspect-ns POD        the namespaces each container shares with the pause container, and
                        the hostname, IPs, routes and listening sockets it sees (-o json)
  logs POD [-c NAME]    print container logs (-f, --previous, --tail N, --timestamps)
  delete pod NAME       delete a pod gracefully (--grace-period N, --now, --wait=false)
  exec POD -- CMD...    run a command in a container (-c NAME, -i, -t)
  port-forward POD [LOCAL:]REMOTE...
                        forward local ports to a pod (--address)
  create secret docker-registry NAME --docker-server=S --docker-username=U --docker-password=P
  create secret generic NAME --from-literal=K=V --from-file=[K=]PATH
                        create a Secret (e.g. for imagePullSecrets)
  label pod NAME K=V K2-
                        set or remove labels (--overwrite to change a value)
  annotate pod NAME K=V K2-
                        set or remove annotations (--overwrite)
  version               print the version

Client flags: --kubeconfig FILE (else $KUBECONFIG, else ~/.minikubelet/kubeconfig), -n/--namespace NS.
Run "minikubelet <verb> --help" for the flags of serve, run, setup, exec, port-forward, create,
label and annotate.
`;

type Verb = (argv: string[]) => Promise<number>;
// Each verb's module is loaded when it runs: `serve` does not pay for the client verbs'
// HTTP client, printers and streams, nor a client verb for the agent (#17).
const VERBS: Record<string, () => Promise<Verb>> = {
  serve: async () => (await import('../src/cli/serve.js')).serve,
  run: async () => (await import('../src/cli/run.js')).run,
  setup: async () => (await import('../src/cli/setup.js')).setup,
  kubeconfig: async () => (await import('../src/cli/credentials-verbs.js')).kubeconfig,
  'rotate-credentials': async () => (await import('../src/cli/credentials-verbs.js')).rotateCredentials,
  apply: async () => (await import('../src/cli/client-verbs.js')).apply,
  get: async () => (await import('../src/cli/client-verbs.js')).get,
  describe: async () => (await import('../src/cli/client-verbs.js')).describe,
  'inspect-ns': async () => (await import('../src/cli/inspect-ns.js')).inspectNs,
  logs: async () => (await import('../src/cli/client-verbs.js')).logs,
  delete: async () => (await import('../src/cli/client-verbs.js')).del,
  exec: async () => (await import('../src/cli/exec.js')).exec,
  'port-forward': async () => (await import('../src/cli/port-forward.js')).portForward,
  create: async () => (await import('../src/cli/create-secret.js')).create,
  label: async () => (await import('../src/cli/label.js')).label,
  annotate: async () => (await import('../src/cli/label.js')).annotate,
  version: async () => version,
};

async function version(): Promise<number> {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`minikubelet v${pkg.version} (Kubernetes API v1.32 compatible)\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(HELP);
    return verb ? 0 : 1;
  }
  const load = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!load) {
    process.stderr.write(`error: unknown command "${verb}" for "minikubelet"\n\n${HELP}`);
    return 1;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${formatError(err)}\n`);
    process.exitCode = 1;
  },
);
