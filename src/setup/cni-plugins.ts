// The CNI plugins the default pod network driver runs (src/runtime/cni): Debian's
// containernetworking-plugins. Installed by `setup --install` when missing, as the engine
// and the image build tools are; without them `serve` falls back to Docker's network
// (src/runtime/cni/driver.ts says why in its log), so their absence is not an error here.
import type { Logger } from '../util/logger.js';
import { probeHost } from '../runtime/cni/driver.js';
import { aptInstall, canAptInstall } from './exec.js';

export const CNI_PLUGINS_PACKAGE = 'containernetworking-plugins';

export interface CniPluginsOptions {
  binDir: string;
  install?: boolean;
  log: Logger;
}

/** True when the plugins are there (after installing them if allowed and missing). */
export async function ensureCniPlugins(o: CniPluginsOptions): Promise<boolean> {
  const missing = probeHost(o.binDir).missingPlugins;
  if (missing.length === 0) return true;
  if (o.install && canAptInstall()) {
    o.log.info({ missing, dir: o.binDir }, `CNI plugins missing: installing ${CNI_PLUGINS_PACKAGE}`);
    await aptInstall([CNI_PLUGINS_PACKAGE], o.log);
    return probeHost(o.binDir).missingPlugins.length === 0;
  }
  o.log.info(
    { missing, dir: o.binDir },
    `CNI plugins not found: pods will use Docker's network (install ${CNI_PLUGINS_PACKAGE}, or run setup --install as root)`,
  );
  return false;
}
