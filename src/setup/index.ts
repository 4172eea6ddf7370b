// One call that makes the machine ready: a Docker engine that answers (started when
// needed; installed only when `setup --install` asks) and the locally built images.
// First: docker-client.ts defers dockerode's unused parts before dockerode loads (#17).
import { join } from 'node:path';
import { dockerodeOptions } from '../runtime/docker-client.js';
import Dockerode from 'dockerode';
import type { Logger } from '../util/logger.js';
import { resolveDockerHost } from '../util/docker-host.js';
import { ensureEngine, type EngineInfo } from './engine.js';
import { ensureLocalImages } from './images.js';
import { ensureCniPlugins } from './cni-plugins.js';
import { OPTION_DEFAULTS } from '../options.js';

export { ensureEngine, type EngineInfo, type EnsureEngineOptions } from './engine.js';
export { ensureLocalImages, BUILD_HASH_LABEL, type EnsureImagesOptions } from './images.js';

export interface SetupOptions {
  dockerHost?: string;
  podInfraImage?: string;
  log: Logger;
  /** The root dir: a dockerd started here logs under it. */
  rootDir: string;
  /** Allow apt-get installs (`setup --install`; root on Debian only). Default false: serve and run never install. */
  install?: boolean;
  force?: boolean;
  /** A ready pause binary, used when gcc is missing (EnsureImagesOptions.pauseBinary). */
  pauseBinary?: string;
  /** Where the CNI plugins are looked for (KubeletOptions.cniBinDir). */
  cniBinDir?: string;
}

export async function ensureSetup(opts: SetupOptions): Promise<{ docker: Dockerode; engine: EngineInfo }> {
  const { log } = opts;
  const t0 = Date.now();
  const engine = await ensureEngine({ dockerHost: opts.dockerHost, log, install: opts.install, rootDir: opts.rootDir });
  log.info(
    { dockerHost: engine.dockerHost, version: engine.version, api: engine.apiVersion, started: engine.started },
    engine.started ? 'Docker engine started' : 'Docker engine is running',
  );
  await ensureCniPlugins({ binDir: opts.cniBinDir ?? OPTION_DEFAULTS.cniBinDir, install: opts.install, log });
  // Built for the address that answered; API version unset because dockerode does not
  // negotiate and the engine (1.41) rejects newer ones.
  const docker = new Dockerode(dockerodeOptions(resolveDockerHost(engine.dockerHost)));
  await ensureLocalImages(docker, {
    log,
    podInfraImage: opts.podInfraImage,
    install: opts.install,
    force: opts.force,
    ...(opts.pauseBinary ? { pauseBinary: opts.pauseBinary } : {}),
    buildMemoFile: join(opts.rootDir, 'image-build-memo.json'),
  });
  log.info({ ms: Date.now() - t0 }, 'setup complete');
  return { docker, engine };
}
