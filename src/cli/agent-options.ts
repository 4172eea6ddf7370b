// Turns serve/run flags into KubeletOptions; defaults stay the kubelet's.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { defaultOptions, OPTION_DEFAULTS, type KubeletOptions } from '../options.js';
import { parseSystemReserved } from '../node/resources.js';
import { sysctlNamespace } from '../container/security-context.js';
import { isDNS1123Subdomain } from '../apis/core/names.js';
import { parseCount, parseDurationMs, str, type Parsed } from './args.js';

export function agentOptions(p: Parsed, extra: Partial<KubeletOptions> = {}): KubeletOptions {
  const o: Partial<KubeletOptions> = { nodeName: hostname().toLowerCase(), ...extra };
  const set: Setter = (k, v) => {
    if (v !== undefined) o[k] = v;
  };
  set('rootDir', str(p, 'root-dir') && resolve(str(p, 'root-dir')!));
  set('nodeName', str(p, 'node-name'));
  set('listen', str(p, 'listen'));
  set('manifestsDir', str(p, 'manifests') && resolve(str(p, 'manifests')!));
  set('podInfraImage', str(p, 'pod-infra-image'));
  set('podNetwork', str(p, 'pod-network'));
  const resolvConf = str(p, 'resolv-conf');
  set('resolvConf', resolvConf ? resolve(resolvConf) : resolvConf);
  const domain = str(p, 'cluster-domain');
  // It ends every pod's FQDN in /etc/hosts and the kernel hostname: a DNS subdomain.
  if (domain !== undefined && isDNS1123Subdomain(domain).length > 0)
    throw new Error(`invalid value for --cluster-domain: "${domain}" (a DNS subdomain, e.g. cluster.local)`);
  set('clusterDomain', domain);
  set('podCidr', str(p, 'pod-cidr'));
  const driver = str(p, 'pod-network-driver');
  if (driver !== undefined && driver !== 'cni' && driver !== 'docker')
    throw new Error(`invalid value for --pod-network-driver: "${driver}" (cni or docker)`);
  set('podNetworkDriver', driver);
  set('cniBinDir', str(p, 'cni-bin-dir') && resolve(str(p, 'cni-bin-dir')!));
  set('dockerHost', str(p, 'docker-host'));
  const dur = (flag: string) => (str(p, flag) !== undefined ? parseDurationMs(str(p, flag)!, flag) : undefined);
  set('crashLoopBackOffBaseMs', dur('crash-loop-backoff-base'));
  set('crashLoopBackOffMaxMs', dur('crash-loop-backoff-max'));
  set('crashLoopBackOffResetMs', dur('crash-loop-backoff-reset'));
  set('imagePullBackOffBaseMs', dur('image-pull-backoff-base'));
  set('imagePullBackOffMaxMs', dur('image-pull-backoff-max'));
  set('imagePullStallTimeoutMs', dur('image-pull-stall-timeout'));
  const timeout = dur('runtime-request-timeout');
  if (timeout === 0) throw new Error('invalid value for --runtime-request-timeout: "0" (must be above 0)');
  set('runtimeRequestTimeoutMs', timeout);
  const fileCheck = dur('file-check-frequency');
  if (fileCheck === 0) throw new Error('invalid value for --file-check-frequency: "0" (a positive duration)');
  set('fileCheckFrequencyMs', fileCheck);
  set('maxPods', str(p, 'max-pods') !== undefined ? positiveInt(str(p, 'max-pods')!, 'max-pods') : undefined);
  const unsafe = str(p, 'allowed-unsafe-sysctls');
  if (unsafe !== undefined) set('allowedUnsafeSysctls', parseUnsafeSysctls(unsafe));
  set('seccompProfileRoot', str(p, 'seccomp-profile-root') && resolve(str(p, 'seccomp-profile-root')!));
  const sans = p.values['tls-san'];
  if (Array.isArray(sans))
    set(
      'tlsSans',
      sans.flatMap((v) => v.split(',')).filter((v) => v.trim() !== ''),
    );
  if (p.values['insecure-http'] === true) set('insecureHttp', true);
  if (p.values['pod-network-attachments'] === true) set('podNetworkAttachments', true);
  const count = (flag: string) => (str(p, flag) !== undefined ? parseCount(str(p, flag)!, flag) : undefined);
  set('maxConnections', count('max-connections'));
  set('maxWatches', count('max-watches'));
  set('maxFollowedLogs', count('max-followed-logs'));
  const reserved = str(p, 'system-reserved');
  if (reserved !== undefined) parseSystemReserved(reserved); // a bad value fails here, naming the entry
  set('systemReserved', reserved);
  set('nodeStatusUpdateFrequencyMs', dur('node-status-update-frequency'));
  setGcOptions(p, set);
  const creds = str(p, 'image-credentials');
  set('imageCredentialsFile', creds === undefined || creds === '' ? creds : resolve(creds));
  return defaultOptions(o);
}

/** serve's garbage-collection flags (the kubelet's names), read by setGcOptions. */
export const GC_FLAGS = {
  'maximum-dead-containers-per-container': { type: 'string' },
  'minimum-container-ttl-duration': { type: 'string' },
  'image-gc-high-threshold': { type: 'string' },
  'image-gc-low-threshold': { type: 'string' },
  'image-minimum-gc-age': { type: 'string' },
} as const;

type Setter = <K extends keyof KubeletOptions>(k: K, v: KubeletOptions[K] | undefined) => void;

/** The kubelet's garbage-collection flags (serve only). */
function setGcOptions(p: Parsed, set: Setter): void {
  const maxDead = str(p, 'maximum-dead-containers-per-container');
  if (maxDead !== undefined && !/^(-1|\d+)$/.test(maxDead))
    throw new Error(`invalid value for --maximum-dead-containers-per-container: "${maxDead}" (-1 or a whole number)`);
  set('maxDeadContainersPerContainer', maxDead === undefined ? undefined : Number(maxDead));
  const dur = (flag: string) => (str(p, flag) !== undefined ? parseDurationMs(str(p, flag)!, flag) : undefined);
  set('minimumContainerTtlMs', dur('minimum-container-ttl-duration'));
  set('imageMinimumGcAgeMs', dur('image-minimum-gc-age'));
  const high = percent(p, 'image-gc-high-threshold');
  const low = percent(p, 'image-gc-low-threshold');
  set('imageGcHighThresholdPercent', high);
  set('imageGcLowThresholdPercent', low);
  // kubelet validation: the low threshold may not exceed the high one.
  if (high !== undefined && (low ?? OPTION_DEFAULTS.imageGcLowThresholdPercent) > high)
    throw new Error(
      `invalid value for --image-gc-low-threshold: ${low ?? OPTION_DEFAULTS.imageGcLowThresholdPercent} is above --image-gc-high-threshold ${high}`,
    );
}

function percent(p: Parsed, flag: string): number | undefined {
  const text = str(p, flag);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 100)
    throw new Error(`invalid value for --${flag}: "${text}" (a percentage, 0 to 100)`);
  return Number(text);
}

function positiveInt(text: string, flag: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`invalid value for --${flag}: "${text}" (a positive integer)`);
  return Number(text);
}

/**
 * --allowed-unsafe-sysctls: comma-separated names or `prefix*` patterns; like the kubelet
 * (sysctl/allowlist.go NewAllowlist), a sysctl not known to be namespaced is refused.
 */
export function parseUnsafeSysctls(v: string): string[] {
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const s of list) {
    if (!sysctlNamespace(s.endsWith('*') ? s.slice(0, -1) : s)) {
      throw new Error(`invalid value for --allowed-unsafe-sysctls: the sysctl "${s}" is not known to be namespaced`);
    }
  }
  return list;
}
