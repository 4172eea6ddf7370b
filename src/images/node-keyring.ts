// The node's own credentials: the `auths` of a Docker config file (--image-credentials,
// default $DOCKER_CONFIG/config.json or ~/.docker/config.json), like the kubelet's
// default docker-config provider. The file is re-read when its mtime changes, so a
// later `docker login` is picked up; credentials are kept only in memory.
// credsStore / credHelpers (external helper programs) are not supported.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BasicKeyring, CredentialParseError, parseDockerConfigText, type AuthConfig, type Keyring } from './keyring.js';

export function defaultDockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(homedir(), '.docker', 'config.json');
}

export class FileKeyring implements Keyring {
  #mtimeMs = -1;
  #keyring = new BasicKeyring();

  /** onError gets a content-free message (the file path and what is wrong). */
  constructor(
    readonly path: string | undefined,
    private readonly onError: (msg: string) => void = () => {},
  ) {}

  lookup(repo: string): AuthConfig[] {
    this.#refresh();
    return this.#keyring.lookup(repo);
  }

  #refresh(): void {
    if (!this.path) return;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch {
      if (this.#mtimeMs !== -1) {
        this.#keyring = new BasicKeyring();
        this.#mtimeMs = -1;
      }
      return;
    }
    if (mtimeMs === this.#mtimeMs) return;
    this.#mtimeMs = mtimeMs;
    try {
      this.#keyring = new BasicKeyring().add(parseDockerConfigText(readFileSync(this.path, 'utf8'), true));
    } catch (err) {
      this.#keyring = new BasicKeyring();
      this.onError(
        `cannot read registry credentials from ${this.path}: ${err instanceof CredentialParseError ? err.message : 'unreadable'}`,
      );
    }
  }
}
