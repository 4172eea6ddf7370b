// Registry credentials keyed the way the kubelet keys them (pkg/credentialprovider
// keyring.go, config.go): keys are normalised when added, looked up by glob-matching
// the image's repository, most specific key first, every match returned in order.
// Credentials are plain in-memory values: nothing here logs or prints them.
import { filepathMatch } from '../util/filepath-match.js';

/** One credential as a Docker config entry carries it. */
export interface AuthConfig {
  username: string;
  password: string;
  email?: string;
}

/** Docker config entries by registry key (`.dockercfg` shape, `auths` of config.json). */
export type DockerConfig = Record<string, AuthConfig>;

export interface Keyring {
  /** Credentials to try for a repository like `docker.io/library/busybox` or `reg:5000/team/app`. */
  lookup(repo: string): AuthConfig[];
}

const DEFAULT_REGISTRY_HOST = 'index.docker.io';
/** Keys under which Docker Hub credentials are found when no key matched (kubelet: index.docker.io only). */
const DOCKER_HUB_KEYS = [DEFAULT_REGISTRY_HOST, 'registry-1.docker.io'];

/**
 * `BasicDockerKeyring.Add`'s key: add `https://` when there is no scheme, drop the
 * scheme, strip one leading `/v1` or `/v2` path component, keep host + remaining path.
 * `https://index.docker.io/v1/` → `index.docker.io`; `myreg:5000/team` stays.
 */
export function normalizeKey(location: string): string {
  const { host, path } = splitLocation(location);
  let effective = path;
  if (effective.startsWith('/v2/') || effective.startsWith('/v1/')) effective = effective.slice(3);
  return effective.length > 0 && effective !== '/' ? host + effective : host;
}

/** Schemeless URL → host (with port) and path, like url.Parse("https://" + s). */
function splitLocation(location: string): { host: string; path: string } {
  const rest = location.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '');
  const slash = rest.indexOf('/');
  let host = slash >= 0 ? rest.slice(0, slash) : rest;
  let path = slash >= 0 ? rest.slice(slash) : '';
  // url.Parse drops userinfo, query and fragment from host and path.
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  path = path.replace(/[?#].*$/, '');
  return { host, path };
}

/** net.SplitHostPort, loosely: `host:port` → labels + port; no port → ''. */
function splitHost(host: string): { labels: string[]; port: string } {
  const m = /^(.*):(\d*)$/.exec(host);
  const name = m && !m[1]!.includes(':') ? m[1]! : host;
  const port = m && !m[1]!.includes(':') ? m[2]! : '';
  return { labels: name.split('.'), port };
}

/**
 * URLsMatch: same port, same number of host labels, each label glob-matches, and
 * the key's path is a (string) prefix of the repository's path.
 */
export function keyMatches(key: string, repo: string): boolean {
  const k = splitLocation(key);
  const r = splitLocation(repo);
  const kh = splitHost(k.host);
  const rh = splitHost(r.host);
  if (kh.port !== rh.port) return false;
  if (kh.labels.length !== rh.labels.length) return false;
  if (!r.path.startsWith(k.path)) return false;
  // filepath.Match per label: linear, so a key like `*a*a*a*a*a*a*a*a*b.example` cannot stall a pull.
  return kh.labels.every((label, i) => filepathMatch(label, rh.labels[i]!));
}

/**
 * isDefaultRegistryMatch: the image goes to Docker Hub when it has no `/`, starts
 * with `docker.io/` or `index.docker.io/`, or its first component has no `.` or `:`.
 */
export function isDockerHubImage(repo: string): boolean {
  const i = repo.indexOf('/');
  const first = i >= 0 ? repo.slice(0, i) : repo;
  if (!first) return false;
  if (i < 0) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

export class BasicKeyring implements Keyring {
  readonly #creds = new Map<string, AuthConfig[]>();
  #index: string[] = [];

  add(config: DockerConfig): this {
    for (const [location, auth] of Object.entries(config)) {
      const key = normalizeKey(location);
      const list = this.#creds.get(key) ?? [];
      list.push({ ...auth });
      this.#creds.set(key, list);
    }
    // Reverse-sorted, so `quay.io/coreos` comes before `quay.io`.
    this.#index = [...this.#creds.keys()].sort().reverse();
    return this;
  }

  get size(): number {
    return this.#creds.size;
  }

  lookup(repo: string): AuthConfig[] {
    const out: AuthConfig[] = [];
    for (const key of this.#index) if (keyMatches(key, repo)) out.push(...this.#creds.get(key)!);
    if (out.length > 0) return out;
    if (isDockerHubImage(repo)) {
      for (const key of DOCKER_HUB_KEYS) {
        const c = this.#creds.get(key);
        if (c) return [...c];
      }
    }
    return [];
  }
}

/** Pod secrets first, then the node's keyring: every match of each, in that order. */
export class UnionKeyring implements Keyring {
  constructor(private readonly parts: Keyring[]) {}
  lookup(repo: string): AuthConfig[] {
    return this.parts.flatMap((k) => k.lookup(repo));
  }
}

/** Thrown for an unusable credential document; the message never quotes its content. */
export class CredentialParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialParseError';
  }
}

/**
 * One entry of a Docker config. A non-empty `auth` (base64 of `user:password`) is
 * decoded and overrides username/password, as DockerConfigEntry.UnmarshalJSON does.
 */
export function parseEntry(raw: unknown): AuthConfig {
  const e = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const out: AuthConfig = { username: str(e.username), password: str(e.password) };
  if (str(e.email)) out.email = str(e.email);
  const auth = str(e.auth);
  if (auth) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new CredentialParseError('invalid "auth" field: expected base64 of "username:password"');
    out.username = decoded.slice(0, colon);
    out.password = decoded.slice(colon + 1);
  }
  return out;
}

/** `{"<registry>": entry, …}` (the `.dockercfg` shape, or the `auths` of config.json). */
export function parseDockerConfig(raw: unknown): DockerConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new CredentialParseError('expected an object of registry entries');
  const out: DockerConfig = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = parseEntry(v);
  return out;
}

/** JSON text → DockerConfig; `wrapped` reads the `auths` member (config.json / .dockerconfigjson). */
export function parseDockerConfigText(text: string, wrapped: boolean): DockerConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // JSON.parse quotes the input in its message: never pass it on.
    throw new CredentialParseError('invalid JSON');
  }
  if (!wrapped) return parseDockerConfig(doc);
  const auths = (doc && typeof doc === 'object' ? (doc as { auths?: unknown }).auths : undefined) ?? {};
  return parseDockerConfig(auths);
}
