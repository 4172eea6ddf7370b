// CNI plugin output (pure): a success Result (spec "Result" section) or an error
// ({code, msg, details}). libcni (pkg/invoke/exec.go) turns an error into
// `plugin type="x" failed (add): msg; details`, the text cri-dockerd reports.

export interface CniIp {
  address: string;
  gateway?: string;
  version?: string;
}

export interface CniResult {
  cniVersion?: string;
  ips?: CniIp[];
  interfaces?: { name: string; sandbox?: string }[];
}

/** The pod's IPv4 address (without the prefix) of a result, or undefined. */
export function resultIPv4(r: CniResult | undefined): string | undefined {
  for (const ip of r?.ips ?? []) {
    const addr = ip.address.split('/')[0] ?? '';
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) return addr;
  }
  return undefined;
}

/** A plugin's stdout on success; throws when it is not a JSON object. */
export function parseResult(stdout: string): CniResult {
  const text = stdout.trim();
  if (text === '') return {};
  const v = JSON.parse(text) as unknown;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('plugin result is not a JSON object');
  return v as CniResult;
}

/**
 * The message of a failed plugin: `msg; details` of its error JSON, else its stderr or
 * exit status (libcni pkg/invoke RawExec pluginErr).
 */
export function pluginErrorMessage(stdout: string, stderr: string, fallback: string): string {
  try {
    const e = JSON.parse(stdout) as { msg?: unknown; details?: unknown };
    if (typeof e.msg === 'string' && e.msg !== '')
      return typeof e.details === 'string' && e.details !== '' ? `${e.msg}; ${e.details}` : e.msg;
  } catch {
    /* not JSON: a crash, or a plugin writing plain text */
  }
  return stderr.trim() || stdout.trim() || fallback;
}

/** `plugin type="bridge" failed (add): msg` (libcni's wording). */
export function pluginFailure(type: string, command: 'ADD' | 'DEL', message: string): string {
  return `plugin type="${type}" failed (${command.toLowerCase()}): ${message}`;
}
