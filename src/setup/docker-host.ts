// Where the Docker engine is: an explicit address, else DOCKER_HOST, else the default
// local socket. Pure, so the parsing is unit-tested without an engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export type EngineAddress =
  | { kind: 'unix'; socketPath: string; dockerHost: string }
  | { kind: 'tcp'; protocol: 'http' | 'https'; host: string; port: number; dockerHost: string };

/** Parses a DOCKER_HOST-style address: unix:///path, /path, tcp://h:p, http(s)://h:p. */
export function parseDockerHost(value: string): EngineAddress {
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
    const tls = scheme === 'https' || (scheme === 'tcp' && isTruthy(process.env.DOCKER_TLS_VERIFY));
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
  return parseDockerHost(chosen || `unix://${DEFAULT_SOCKET}`);
}

/** True for the one address this tool may start an engine for: the local default socket. */
export function isDefaultLocalSocket(addr: EngineAddress): boolean {
  return addr.kind === 'unix' && addr.socketPath.replace(/\/+/g, '/') === DEFAULT_SOCKET;
}

/** Dockerode options for the address. API version left unset: dockerode does not negotiate. */
export function dockerodeOptions(addr: EngineAddress): Dockerode.DockerOptions {
  if (addr.kind === 'unix') return { socketPath: addr.socketPath };
  const o: Dockerode.DockerOptions = { protocol: addr.protocol, host: addr.host, port: addr.port };
  if (addr.protocol === 'https' && process.env.DOCKER_CERT_PATH) {
    // The files the docker CLI reads; passed explicitly because docker-modem only loads
    // them when it parses DOCKER_HOST itself.
    o.ca = readCert('ca.pem');
    o.cert = readCert('cert.pem');
    o.key = readCert('key.pem');
  }
  return o;
}

function readCert(name: string): string | undefined {
  try {
    return readFileSync(join(process.env.DOCKER_CERT_PATH!, name), 'utf8');
  } catch {
    return undefined;
  }
}

function isTruthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
