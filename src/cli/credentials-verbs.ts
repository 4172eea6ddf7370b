// `minikubelet kubeconfig` and `minikubelet rotate-credentials`: the agent's API
// credentials for the user (kubectl merges kubeconfigs; we print ours for that).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultRootDir } from '../options.js';
import { setKubeconfigToken } from '../client/kubeconfig.js';
import { credentialsDir, rotateToken } from '../server/credentials.js';
import { bool, parse, str } from './args.js';

export const KUBECONFIG_HELP = `Print the path of the agent's kubeconfig (its URL, CA and bearer token).

Usage: minikubelet kubeconfig [--raw] [--root-dir DIR]

  --raw            print its content instead, e.g. to merge it into your own:
                   minikubelet kubeconfig --raw > /tmp/mkl && KUBECONFIG=~/.kube/config:/tmp/mkl \\
                     kubectl config view --flatten > /tmp/merged && mv /tmp/merged ~/.kube/config
  --root-dir DIR   the agent's root dir (default ~/.minikubelet)
`;

export const ROTATE_HELP = `Replace the API's bearer token: the old one is refused from the next request on,
also by a running agent. The agent's kubeconfig gets the new token; copies merged elsewhere
must be updated (minikubelet kubeconfig --raw).

Usage: minikubelet rotate-credentials [--root-dir DIR]
`;

const FLAGS = { 'root-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function rootDir(dir: string | undefined): string {
  return dir ? resolve(dir) : defaultRootDir();
}

function agentKubeconfig(root: string): string {
  const path = join(root, 'kubeconfig');
  if (!existsSync(path)) throw new Error(`no kubeconfig at ${path}: start the agent with "minikubelet serve" first`);
  return path;
}

export async function kubeconfig(argv: string[]): Promise<number> {
  const p = parse(argv, { ...FLAGS, raw: { type: 'boolean' } });
  if (bool(p, 'help')) {
    process.stdout.write(KUBECONFIG_HELP);
    return 0;
  }
  const path = agentKubeconfig(rootDir(str(p, 'root-dir')));
  process.stdout.write(bool(p, 'raw') ? readFileSync(path, 'utf8') : `${path}\n`);
  return 0;
}

export async function rotateCredentials(argv: string[]): Promise<number> {
  const p = parse(argv, FLAGS);
  if (bool(p, 'help')) {
    process.stdout.write(ROTATE_HELP);
    return 0;
  }
  const root = rootDir(str(p, 'root-dir'));
  const path = agentKubeconfig(root);
  const token = rotateToken(credentialsDir(root));
  setKubeconfigToken(path, token);
  process.stdout.write(
    `new token written to ${path}; the old token is refused from now on (update merged copies: minikubelet kubeconfig --raw)\n`,
  );
  return 0;
}
