// `minikubelet run -f FILE`: run pods in the foreground with an in-process agent and
// no daemon, print their status changes live, tear them down cleanly on Ctrl-C.
// Exits by itself once every pod has finished (Succeeded/Failed): 0 if all succeeded.
import { mkdtempSync } from 'node:fs';
import { ensurePrivateDir } from '../util/private-dir.js';
import { join } from 'node:path';
import type { ValidPod, Secret, ConfigMap, PodPhase } from '../apis/core/types.js';
import { isPodPhaseTerminal } from '../apis/core/pod-util.js';
import type { NodeFacade } from '../server/node-facade.js';
import { admitObject } from '../apis/core/admit.js';
import { AGENT_FLAGS, bool, parse, str } from './args.js';
import { agentOptions } from './agent-options.js';
import { readManifestArgs } from './manifest-files.js';
import { startKubelet } from '../kubelet.js';
import { createLogger } from '../util/logger.js';
import { ensureSetup } from '../setup/index.js';
import { podRow } from '../printers/pod-columns.js';
import { defaultRootDir } from '../options.js';
import { formatError } from './output.js';
import { PullProgressView } from './pull-progress-view.js';
import { unmountAndRemove } from '../runtime/mounts.js';

export const RUN_HELP = `Run pods from manifests in the foreground, without a daemon.

Usage: minikubelet run -f FILE [-f FILE...] [flags]

Prints every status change and every event. Ctrl-C deletes the pods gracefully
(a second Ctrl-C stops waiting). Exits when all pods have finished: 0 if all
succeeded, 1 otherwise. Takes the agent flags of "minikubelet serve" (see its --help),
plus:
  -f, --filename FILE   manifest file, directory or - for stdin (repeatable)
  -n, --namespace NS    namespace for objects that name none (default "default")
  -q, --quiet           status changes only, no events
`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {
    ...AGENT_FLAGS,
    filename: { type: 'string', short: 'f', multiple: true },
    namespace: { type: 'string', short: 'n' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (p.values.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  const files = (p.values.filename as string[] | undefined) ?? [];
  if (files.length === 0) {
    process.stderr.write('error: must specify -f FILE\n');
    return 1;
  }
  const docs = readManifestArgs(files);
  // Like kubectl: -n applies to objects that name no namespace, and conflicts with one that does.
  const explicitNs = str(p, 'namespace');
  const namespace = explicitNs ?? 'default';
  // Validate everything before creating anything: a bad manifest leaves nothing behind.
  const objects = docs.map((d) => admitObject(d.object, explicitNs ? { namespace: explicitNs } : {}));
  const pods = objects.filter((o): o is ValidPod => o.kind === 'Pod');
  if (pods.length === 0) {
    process.stderr.write('error: no Pod in the given manifests\n');
    return 1;
  }

  // A private root dir (and so a private agent identity): never touches a served node's pods.
  const base = str(p, 'root-dir') ?? join(defaultRootDir(), 'run');
  // 0700 from the top when run creates it first (the default root dir included).
  ensurePrivateDir(base);
  const rootDir = mkdtempSync(join(base, 'run-'));
  const options = agentOptions(p, {});
  options.rootDir = rootDir;
  const log = createLogger({ level: (p.values['log-level'] as string | undefined) ?? 'warn' });
  await ensureSetup({
    ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}),
    podInfraImage: options.podInfraImage,
    cniBinDir: options.cniBinDir,
    rootDir: base,
    log,
  });
  const kubelet = await startKubelet(options, { log, serveApi: false });
  const node = kubelet.node;
  try {
    for (const o of objects) {
      if (o.kind !== 'Pod') await node.createObject(o.kind, o.metadata.namespace ?? namespace, o as Secret | ConfigMap);
    }
    // Image pulls: live bars on a TTY, plain lines otherwise (not with --quiet).
    const view = new PullProgressView(process.stdout);
    const unwatchPulls = bool(p, 'quiet') ? () => {} : kubelet.images.onPullProgress((pulls) => view.update(pulls));
    const finished = watchUntilDone(node, pods, bool(p, 'quiet'), view).finally(() => {
      unwatchPulls();
      view.close();
    });
    for (const pod of pods) node.runPod(pod);
    const interrupted = onInterrupt();
    const outcome = await Promise.race([finished, interrupted.promise]);
    unwatchPulls();
    view.close();
    process.stderr.write(
      outcome === 'interrupted' ? '\nInterrupted: deleting pods…\n' : '\nAll pods finished: cleaning up…\n',
    );
    const teardown = kubelet.stop({ teardown: true });
    await Promise.race([teardown, interrupted.again()]);
    if (outcome === 'interrupted') return 130;
    return outcome.every((phase) => phase === 'Succeeded') ? 0 : 1;
  } catch (err) {
    process.stderr.write(`${formatError(err)}\n`);
    await kubelet.stop({ teardown: true });
    return 1;
  } finally {
    // A teardown cut short (a second interrupt) may leave subPath binds and secret
    // tmpfs mounts under the root dir: unmount first, never delete through a mount.
    await unmountAndRemove(rootDir).catch((err: unknown) => {
      process.stderr.write(`warning: ${rootDir} left in place: ${formatError(err)}\n`);
    });
  }
}

/** Print each status change and event; resolve with the final phases once every pod finished. */
function watchUntilDone(node: NodeFacade, pods: ValidPod[], quiet: boolean, view: PullProgressView): Promise<string[]> {
  const phases = new Map<string, PodPhase>();
  const lastLine = new Map<string, string>();
  return new Promise((resolve) => {
    view.line(`${pad('TIME', 10)}${pad('POD', 28)}${pad('READY', 8)}${pad('STATUS', 24)}RESTARTS`);
    const unwatchEvents = quiet
      ? () => {}
      : node.watchEvents(({ type, object: ev }) => {
          if (type === 'DELETED') return;
          const who = ev.involvedObject.fieldPath
            ? `${ev.involvedObject.name} ${ev.involvedObject.fieldPath}`
            : ev.involvedObject.name;
          view.line(`${pad(clock(), 10)}  event ${ev.type} ${ev.reason} (${who}): ${ev.message}`);
        });
    const unwatch = node.watchPods(({ type, object }) => {
      if (type === 'DELETED') return;
      const row = podRow(object, Date.now());
      const line = `${pad(row.name, 28)}${pad(row.ready, 8)}${pad(row.status, 24)}${row.restarts}`;
      if (lastLine.get(row.name) !== line) {
        lastLine.set(row.name, line);
        view.line(`${pad(clock(), 10)}${line}`);
      }
      phases.set(object.metadata.uid!, object.status?.phase ?? 'Pending');
      const done = pods.every((pd) => isPodPhaseTerminal(phases.get(pd.metadata.uid)));
      if (done) {
        unwatch();
        unwatchEvents();
        resolve(pods.map((pd) => phases.get(pd.metadata.uid)!));
      }
    });
  });
}

function onInterrupt(): { promise: Promise<'interrupted'>; again: () => Promise<void> } {
  const promise = new Promise<'interrupted'>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('interrupted'));
  });
  return {
    promise,
    again: () =>
      new Promise<void>((resolve) =>
        process.once('SIGINT', () => {
          process.stderr.write('Second interrupt: not waiting for graceful termination.\n');
          resolve();
        }),
      ),
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s.padEnd(n);
}
function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}
