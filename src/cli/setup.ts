// `minikubelet setup`: find or start the Docker engine and build the local images.
// Idempotent and quick when everything is already there; npm start and npm test run it
// (with --install, so a fresh Debian machine gets what it needs).
import { dirname, resolve } from 'node:path';
import { bool, parse, str } from './args.js';
import { createLogger } from '../util/logger.js';
import { ensureSetup } from '../setup/index.js';
import { AGENT_IMAGE, ensureAgentImage } from '../setup/agent-image.js';
import { findImagesDir } from '../setup/images.js';
import { defaultRootDir, LOCAL_BUSYBOX_IMAGE, LOCAL_PAUSE_IMAGE } from '../options.js';

export const SETUP_HELP = `Prepare this machine: find (or start) the Docker engine and build the local
images minikubelet and its examples use (${LOCAL_PAUSE_IMAGE}, ${LOCAL_BUSYBOX_IMAGE}).

Usage: minikubelet setup [--install] [--agent-image] [--pod-infra-image IMAGE] [--docker-host URL] [--root-dir DIR]

  --install     as root on Debian/Ubuntu, install what is missing with apt-get
                (docker.io, gcc, libc6-dev, busybox-static); without it nothing is installed
  --agent-image also build the agent's own image, ${AGENT_IMAGE}, from the top-level
                Dockerfile on a Node base made from this host's node (no registry needed)
  --root-dir    where a dockerd started by setup logs (dockerd.log; default ~/.minikubelet)
`;

export async function setup(argv: string[]): Promise<number> {
  const p = parse(argv, {
    'pod-infra-image': { type: 'string' },
    'docker-host': { type: 'string' },
    'root-dir': { type: 'string' },
    install: { type: 'boolean' },
    'agent-image': { type: 'boolean' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (p.values.help) {
    process.stdout.write(SETUP_HELP);
    return 0;
  }
  const log = createLogger({ level: str(p, 'log-level') ?? 'info' });
  const { docker } = await ensureSetup({
    ...(str(p, 'docker-host') ? { dockerHost: str(p, 'docker-host')! } : {}),
    podInfraImage: str(p, 'pod-infra-image') ?? LOCAL_PAUSE_IMAGE,
    rootDir: resolve(str(p, 'root-dir') ?? defaultRootDir()),
    install: bool(p, 'install'),
    log,
  });
  if (bool(p, 'agent-image')) {
    // The Dockerfile sits next to images/ at the top of the package.
    const image = await ensureAgentImage(docker, { log, repoDir: dirname(findImagesDir()) });
    process.stdout.write(`${image}\n`);
  }
  return 0;
}
