// Running CNI plugins (libcni api.go AddNetworkList/DelNetworkList and pkg/invoke/exec.go):
// each plugin is an executable in the bin dir, told what to do by CNI_* environment
// variables and its configuration on stdin; a result or an error comes back on stdout.
// ADD runs the list in order, each plugin getting the previous one's result; DEL runs
// it in reverse with the result ADD produced, so each plugin can undo its own part.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { CNI_IFNAME, pluginConf } from './conf.js';
import { type CniResult, parseResult, pluginErrorMessage, pluginFailure } from './result.js';

/** A plugin that has not answered by then is killed (the kubelet's CRI call would time out instead). */
export const PLUGIN_TIMEOUT_MS = 30_000;

export interface ConfList {
  cniVersion: string;
  name: string;
  plugins: object[];
}

export interface Invocation {
  binDir: string;
  containerId: string;
  /** `/proc/<pid>/ns/net`; '' on DEL when the namespace is gone (plugins then release what they hold). */
  netns: string;
  capabilityArgs: Record<string, unknown>;
  timeoutMs?: number;
}

export class CniPluginError extends Error {
  constructor(
    message: string,
    readonly plugin: string,
  ) {
    super(message);
    this.name = 'CniPluginError';
  }
}

function runPlugin(inv: Invocation, command: 'ADD' | 'DEL', type: string, stdin: string): Promise<CniResult> {
  // Only the variables the plugins need: the agent's environment may hold secrets.
  const env = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: command,
    CNI_CONTAINERID: inv.containerId,
    CNI_NETNS: inv.netns,
    CNI_IFNAME,
    CNI_PATH: inv.binDir,
  };
  return new Promise((resolve, reject) => {
    const child = execFile(
      join(inv.binDir, type),
      [],
      { env, timeout: inv.timeoutMs ?? PLUGIN_TIMEOUT_MS, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.killed ? `timed out after ${inv.timeoutMs ?? PLUGIN_TIMEOUT_MS} ms` : err.message;
          reject(new CniPluginError(pluginFailure(type, command, pluginErrorMessage(stdout, stderr, why)), type));
          return;
        }
        try {
          resolve(parseResult(stdout));
        } catch (e) {
          reject(new CniPluginError(pluginFailure(type, command, (e as Error).message), type));
        }
      },
    );
    child.stdin?.end(stdin);
  });
}

const typeOf = (plugin: object) => String((plugin as { type?: unknown }).type);

/** ADD through the list; the last plugin's result is the network's (libcni addNetworkList). */
export async function addNetworkList(list: ConfList, inv: Invocation): Promise<CniResult> {
  let prev: CniResult | undefined;
  for (const plugin of list.plugins) {
    prev = await runPlugin(inv, 'ADD', typeOf(plugin), pluginConf(list, plugin, prev, inv.capabilityArgs));
  }
  return prev ?? {};
}

/**
 * DEL through the list in reverse (libcni delNetworkList). Every plugin is run even when
 * one fails (a half-undone network would keep its IP or its iptables rules); the first
 * error is then thrown.
 */
export async function delNetworkList(list: ConfList, inv: Invocation, cached: CniResult | undefined): Promise<void> {
  let first: unknown;
  for (const plugin of [...list.plugins].reverse()) {
    await runPlugin(inv, 'DEL', typeOf(plugin), pluginConf(list, plugin, cached, inv.capabilityArgs)).catch((err) => {
      first ??= err;
    });
  }
  if (first) throw first;
}
