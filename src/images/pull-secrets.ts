// imagePullSecrets → keyring (pkg/credentialprovider/secrets/secrets.go). Secrets are
// read at pull time, so an updated Secret is used at the next retry; nothing is cached.
import type { Secret, ValidPod } from '../apis/core/types.js';
import { BasicKeyring, CredentialParseError, parseDockerConfigText } from './keyring.js';

export const SECRET_TYPE_DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
export const SECRET_TYPE_DOCKERCFG = 'kubernetes.io/dockercfg';

/** Finds a stored Secret (the agent's ObjectStore). */
export type SecretLookup = (namespace: string, name: string) => Secret | undefined;

export interface PodKeyring {
  keyring: BasicKeyring;
  /** imagePullSecrets that do not exist in the pod's namespace. */
  missing: string[];
}

/**
 * Builds one keyring from every usable pull secret of the pod, in the order named.
 * Secrets of other types, or without the expected key, are ignored; a malformed one
 * fails the pull (as MakeDockerKeyring does), with a message that quotes no content.
 */
export function podKeyring(pod: ValidPod, find: SecretLookup): PodKeyring {
  const keyring = new BasicKeyring();
  const missing: string[] = [];
  const ns = pod.metadata.namespace;
  for (const ref of pod.spec.imagePullSecrets ?? []) {
    if (!ref.name) continue;
    const secret = find(ns, ref.name);
    if (!secret) {
      missing.push(ref.name);
      continue;
    }
    const json = secretValue(secret, SECRET_TYPE_DOCKER_CONFIG_JSON, '.dockerconfigjson');
    const cfg = json ?? secretValue(secret, SECRET_TYPE_DOCKERCFG, '.dockercfg');
    if (cfg === undefined) continue;
    try {
      keyring.add(parseDockerConfigText(cfg, json !== undefined));
    } catch (err) {
      const why = err instanceof CredentialParseError ? err.message : 'unreadable';
      throw new CredentialParseError(`image pull secret "${ref.name}" cannot be used: ${why}`);
    }
  }
  return { keyring, missing };
}

function secretValue(s: Secret, type: string, key: string): string | undefined {
  if (s.type !== type) return undefined;
  const b64 = s.data?.[key];
  if (b64) return Buffer.from(b64, 'base64').toString('utf8');
  const plain = s.stringData?.[key];
  return plain || undefined;
}

/** The kubelet's warning text for missing pull secrets. */
export function missingSecretsMessage(names: string[]): string {
  return `Unable to retrieve some image pull secrets (${names.join(', ')}); attempting to pull the image may not succeed.`;
}
