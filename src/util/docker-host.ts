// Where the Docker engine is: an explicit address, else DOCKER_HOST, else the default
// local socket. The one parser of DOCKER_HOST-style addresses: setup/ (find or start an
// engine) and runtime/docker-client.ts (connect to it) both read addresses through it, so
// they accept the same forms. Pure, so the parsing is unit-tested without an engine.

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export type EngineAddress =
  | { kind: 'unix'; socketPath: string; dockerHost: string }
  | { kind: 'tcp'; protocol: 'http' | 'https'; host: string; port: number; dockerHost: string };

/**
 * Parses a DOCKER_HOST-style address: unix:///path, /path, tcp://h:p, http(s)://h:p.
 * npipe:// (Windows) and ssh:// are rejected: the agent runs on Linux and speaks HTTP.
 */
export function parseDockerHost(value: string, env: NodeJS.ProcessEnv = process.env): EngineAddress {
  const v = value.trim();
  if (v.startsWith('/')) return { kind: 'unix', socketPath: v, dockerHost: `unix://${v}` };
  const m = /^([a-z]+):\/\/(.*)$/i.exec(v);
  if (!m) throw new Error(`invalid Docker host "${value}": expected unix:///path or tcp://host:port`);
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (scheme === 'unix') {
    if (!rest.startsWith('/')) throw new Error(`invalid Docker host "${value}": unix socket path must be absolute`);
    return { kind: 'unix', socketPath: rest, dockerHost: `unix://${rest}` };
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    // tcp:// is plain HTTP unless TLS is asked for, as with the docker CLI.
    const tls = scheme === 'https' || (scheme === 'tcp' && isTruthy(env.DOCKER_TLS_VERIFY));
    const hp = rest.replace(/\/+$/, '');
    const hm = /^(\[[^\]]+\]|[^:/]+)(?::(\d+))?$/.exec(hp);
    if (!hm) throw new Error(`invalid Docker host "${value}": expected ${scheme}://host:port`);
    const host = hm[1]!.replace(/^\[|\]$/g, '');
    const port = hm[2] ? Number(hm[2]) : tls ? 2376 : 2375;
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid port in Docker host "${value}"`);
    return {
      kind: 'tcp',
      protocol: tls ? 'https' : 'http',
      host,
      port,
      dockerHost: `${scheme === 'https' ? 'https' : 'tcp'}://${hm[1]}:${port}`,
    };
  }
  throw new Error(`unsupported Docker host scheme "${scheme}" in "${value}" (use unix:// or tcp://)`);
}

/** opts.dockerHost, else DOCKER_HOST, else the default socket. */
export function resolveDockerHost(explicit?: string, env: NodeJS.ProcessEnv = process.env): EngineAddress {
  const chosen = explicit?.trim() || env.DOCKER_HOST?.trim();
  return parseDockerHost(chosen || `unix://${DEFAULT_SOCKET}`, env);
}

/** True for the one address this tool may start an engine for: the local default socket. */
export function isDefaultLocalSocket(addr: EngineAddress): boolean {
  return addr.kind === 'unix' && addr.socketPath.replace(/\/+/g, '/') === DEFAULT_SOCKET;
}

function isTruthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
