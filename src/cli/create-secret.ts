// `minikubelet create secret docker-registry|generic NAME`: the Secrets kubectl's
// generators build (k8s.io/kubectl pkg/cmd/create/create_secret_docker.go and
// create_secret.go), POSTed to the same endpoint. The password is in the request body
// only: never printed, never in an error. Like kubectl, `--docker-password` on the command
// line is visible to other local users in `ps` while the command runs.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Secret } from '../apis/core/types.js';
import { KubeletError } from '../util/errors.js';
import { str, wantsHelp } from './args.js';
import { connect } from './client-verbs.js';

export const CREATE_HELP = `Create a resource.

Usage:
  minikubelet create secret docker-registry NAME --docker-username=USER --docker-password=PASS
      [--docker-server=SERVER] [--docker-email=EMAIL] [-n NS]
  minikubelet create secret generic NAME [--from-literal=KEY=VALUE] [--from-file=[KEY=]PATH] [--type=TYPE] [-n NS]

docker-registry builds a kubernetes.io/dockerconfigjson Secret for imagePullSecrets
(--docker-server defaults to https://index.docker.io/v1/). Note: a password given on the
command line is visible to other local users (ps) while the command runs, as with kubectl.

Options:
  -n, --namespace NS     the namespace (default: the kubeconfig's, else default)
      --kubeconfig FILE  the agent's kubeconfig
`;

/** kubectl's default registry (create_secret_docker.go). */
export const DEFAULT_DOCKER_SERVER = 'https://index.docker.io/v1/';

export interface DockerRegistryOptions {
  server: string;
  username: string;
  password: string;
  email?: string;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/** `.dockerconfigjson`: {"auths":{server:{username,password,email,auth}}} with email omitted when empty (DockerConfigEntry). */
export function dockerConfigJson(o: DockerRegistryOptions): string {
  const entry = {
    username: o.username,
    password: o.password,
    ...(o.email ? { email: o.email } : {}),
    auth: b64(`${o.username}:${o.password}`),
  };
  return JSON.stringify({ auths: { [o.server]: entry } });
}

function secret(name: string, type: string, data: Record<string, string>): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type, data };
}

export function dockerRegistrySecret(name: string, o: DockerRegistryOptions): Secret {
  return secret(name, 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': b64(dockerConfigJson(o)) });
}

/** `--from-literal=k=v` and `--from-file=[k=]path` into base64 data, refusing duplicates as kubectl does. */
export function genericSecret(
  name: string,
  o: { literals: string[]; files: string[]; type?: string },
  read: (path: string) => Buffer = (p) => readFileSync(p),
): Secret {
  const data: Record<string, string> = {};
  const add = (key: string, value: Buffer | string) => {
    if (Object.hasOwn(data, key))
      throw new Error(`cannot add key ${key}, another key by that name already exists in Data for Secret "${name}"`);
    data[key] = b64(value);
  };
  for (const lit of o.literals) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new Error(`invalid literal source ${lit}, expected key=value`);
    add(lit.slice(0, eq), lit.slice(eq + 1));
  }
  for (const spec of o.files) {
    const eq = spec.indexOf('=');
    const [key, path] = eq < 0 ? [basename(spec), spec] : [spec.slice(0, eq), spec.slice(eq + 1)];
    if (!key || !path) throw new Error(`key names or file paths cannot be empty: ${spec}`);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
      throw new Error(`file paths must be files, not directories: ${path}`);
    add(key, read(path));
  }
  return secret(name, o.type ?? 'Opaque', data);
}

const SECRET_FLAGS = {
  'docker-server': { type: 'string' },
  'docker-username': { type: 'string' },
  'docker-password': { type: 'string' },
  'docker-email': { type: 'string' },
  'from-literal': { type: 'string', multiple: true },
  'from-file': { type: 'string', multiple: true },
  type: { type: 'string' },
} as const;

export async function create(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(CREATE_HELP);
    return 0;
  }
  const { client, namespace, p } = connect(argv, SECRET_FLAGS);
  const [resource, kind, name, ...extra] = p.positionals;
  if (resource !== 'secret') throw new Error(`unknown command "${resource ?? ''}" for "minikubelet create"`);
  if (!name) throw new Error('exactly one NAME is required, got 0');
  if (extra.length) throw new Error(`exactly one NAME is required, got ${1 + extra.length}`);
  let obj: Secret;
  if (kind === 'docker-registry') {
    const username = str(p, 'docker-username');
    const password = str(p, 'docker-password');
    if (!username || !password)
      throw new Error(
        'either --from-file or the combination of --docker-username, --docker-password and --docker-server is required',
      );
    const email = str(p, 'docker-email');
    obj = dockerRegistrySecret(name, {
      server: str(p, 'docker-server') ?? DEFAULT_DOCKER_SERVER,
      username,
      password,
      ...(email ? { email } : {}),
    });
  } else if (kind === 'generic') {
    const type = str(p, 'type');
    obj = genericSecret(name, {
      literals: (p.values['from-literal'] as string[] | undefined) ?? [],
      files: (p.values['from-file'] as string[] | undefined) ?? [],
      ...(type ? { type } : {}),
    });
  } else {
    throw new Error(`unknown command "${kind ?? ''}" for "minikubelet create secret" (docker-registry, generic)`);
  }
  try {
    await client.createObject(namespace, 'secrets', obj, 'minikubelet-create');
  } catch (err) {
    // create_secret.go: `error: failed to create secret secrets "x" already exists`.
    if (err instanceof KubeletError) throw new Error(`failed to create secret ${err.message}`);
    throw err;
  }
  process.stdout.write(`secret/${name} created\n`);
  return 0;
}
