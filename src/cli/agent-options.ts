// Turns serve/run flags into KubeletOptions; defaults stay the kubelet's.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { defaultOptions, type KubeletOptions } from '../options.js';
import { parseSystemReserved } from '../node/resources.js';
import { parseCount, parseDurationMs, str, type Parsed } from './args.js';

export function agentOptions(p: Parsed, extra: Partial<KubeletOptions> = {}): KubeletOptions {
  const o: Partial<KubeletOptions> = { nodeName: hostname().toLowerCase(), ...extra };
  const set = <K extends keyof KubeletOptions>(k: K, v: KubeletOptions[K] | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  set('rootDir', str(p, 'root-dir') && resolve(str(p, 'root-dir')!));
  set('nodeName', str(p, 'node-name'));
  set('listen', str(p, 'listen'));
  set('manifestsDir', str(p, 'manifests') && resolve(str(p, 'manifests')!));
  set('podInfraImage', str(p, 'pod-infra-image'));
  set('podNetwork', str(p, 'pod-network'));
  set('podCidr', str(p, 'pod-cidr'));
  set('dockerHost', str(p, 'docker-host'));
  const dur = (flag: string) => (str(p, flag) !== undefined ? parseDurationMs(str(p, flag)!, flag) : undefined);
  set('crashLoopBackOffBaseMs', dur('crash-loop-backoff-base'));
  set('crashLoopBackOffMaxMs', dur('crash-loop-backoff-max'));
  set('crashLoopBackOffResetMs', dur('crash-loop-backoff-reset'));
  set('imagePullBackOffBaseMs', dur('image-pull-backoff-base'));
  set('imagePullBackOffMaxMs', dur('image-pull-backoff-max'));
  set('imagePullStallTimeoutMs', dur('image-pull-stall-timeout'));
  const fileCheck = dur('file-check-frequency');
  if (fileCheck === 0) throw new Error('invalid value for --file-check-frequency: "0" (a positive duration)');
  set('fileCheckFrequencyMs', fileCheck);
  set('maxPods', str(p, 'max-pods') !== undefined ? positiveInt(str(p, 'max-pods')!, 'max-pods') : undefined);
  const sans = p.values['tls-san'];
  if (Array.isArray(sans))
    set(
      'tlsSans',
      sans.flatMap((v) => v.split(',')).filter((v) => v.trim() !== ''),
    );
  if (p.values['insecure-http'] === true) set('insecureHttp', true);
  const count = (flag: string) => (str(p, flag) !== undefined ? parseCount(str(p, flag)!, flag) : undefined);
  set('maxConnections', count('max-connections'));
  set('maxWatches', count('max-watches'));
  set('maxFollowedLogs', count('max-followed-logs'));
  const reserved = str(p, 'system-reserved');
  if (reserved !== undefined) parseSystemReserved(reserved); // a bad value fails here, naming the entry
  set('systemReserved', reserved);
  set('nodeStatusUpdateFrequencyMs', dur('node-status-update-frequency'));
  const creds = str(p, 'image-credentials');
  set('imageCredentialsFile', creds === undefined || creds === '' ? creds : resolve(creds));
  return defaultOptions(o);
}

function positiveInt(text: string, flag: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new Error(`invalid value for --${flag}: "${text}" (a positive integer)`);
  return Number(text);
}
