// The agent as a container (issue #16 §1): the image is built from the top-level Dockerfile
// through the engine's build API (a Node base made from the host's node, cached by build
// hash as setup caches its images), run as a user runs it — host network, the engine's
// socket, the root dir bind-mounted at the same path with rshared propagation — and driven
// from this process (the host) by the real kubectl with the kubeconfig the agent wrote:
// an init container, an httpGet readiness probe, a termination message, configMap, secret
// (tmpfs), emptyDir, subPath and hostPath volumes, tcp startup, exec liveness and grpc
// readiness probes, a postStart hook; logs, exec, port-forward; `docker stop` ends the
// agent cleanly (exit 0) and a restarted agent adopts the pod without restarting it. A root
// dir the engine sees elsewhere, or without rshared, is refused at start with what to do.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BUSYBOX, docker, removeAgentContainers, waitFor } from '../harness/agent.js';
import { kubectlForKubeconfig, NO_KUBECTL, spawnKubectlWith, type Kubectl } from '../harness/kubectl.js';
import { which } from '../harness/which.js';
import { ensureGrpcHealthImage } from '../integration/probes/grpc-image.js';
import { AGENT_IMAGE, ensureAgentImage } from '../../src/setup/agent-image.js';
import { findImagesDir } from '../../src/setup/images.js';
import { createLogger } from '../../src/util/logger.js';

const sh = promisify(execFile);
const RUN = randomBytes(4).toString('hex');
/** Every agent container this file starts carries it; after() removes them by it. */
const TEST_LABEL = 'io.minikubelet.test';
const LABELS = { [TEST_LABEL]: `agent-image-${RUN}` };
const NODE = `e2e-agent-image-${RUN}`;
/** Not the shared minikubelet.local/pause:3.10, which other agents use. */
const PAUSE_TEST_IMAGE = `minikubelet.local/pause:agent-image-${RUN}`;

const manifest = (hostDir: string, grpcImage: string): string => `apiVersion: v1
kind: ConfigMap
metadata: { name: web-conf }
data: { index.html: "hello from a configMap\\n" }
---
apiVersion: v1
kind: Secret
metadata: { name: web-secret }
stringData: { token: s3cret }
---
apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
  - name: init
    image: ${BUSYBOX}
    imagePullPolicy: Never
    command: [sh, -c, "echo init ran > /work/init.txt; echo init done > /dev/termination-log"]
    volumeMounts: [{ name: work, mountPath: /work }]
  containers:
  - name: app
    image: ${BUSYBOX}
    imagePullPolicy: Never
    command: [sh, -c, "echo app started; cat /work/init.txt; exec httpd -f -p 8080 -h /www"]
    ports: [{ containerPort: 8080 }]
    readinessProbe: { httpGet: { path: /index.html, port: 8080 }, periodSeconds: 1 }
    startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
    livenessProbe: { exec: { command: [cat, /www/index.html] }, periodSeconds: 2 }
    lifecycle: { postStart: { exec: { command: [sh, -c, "echo hooked > /work/hook"] } } }
    volumeMounts:
    - { name: www, mountPath: /www }
    - { name: work, mountPath: /work }
    - { name: secret, mountPath: /secret }
    - { name: www, mountPath: /sub/index.html, subPath: index.html }
    - { name: host, mountPath: /host }
  - name: grpc
    image: ${grpcImage}
    imagePullPolicy: Never
    env: [{ name: PORT, value: "9000" }]
    readinessProbe: { grpc: { port: 9000 }, periodSeconds: 1 }
  volumes:
  - { name: www, configMap: { name: web-conf } }
  - { name: work, emptyDir: {} }
  - { name: secret, secret: { secretName: web-secret } }
  - { name: host, hostPath: { path: ${hostDir}, type: Directory } }
`;

const STATIC_POD = `apiVersion: v1
kind: Pod
metadata: { name: static }
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: sleeper
    image: ${BUSYBOX}
    imagePullPolicy: Never
    command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
`;

/** Why the image cannot be built on this machine (the test then skips, saying so), or undefined. */
function missingBuildPrerequisite(): string | undefined {
  if (!which('ldd')) return 'ldd is not on PATH (the local Node base copies the libraries it lists)';
  if (!existsSync('/etc/ssl/certs/ca-certificates.crt')) return 'no CA bundle at /etc/ssl/certs/ca-certificates.crt';
  const npm = [join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'), '/usr/lib/node_modules/npm'];
  if (!npm.some((d) => existsSync(join(d, 'bin', 'npm-cli.js')))) return 'the host npm is not next to node';
  if (!which('mount')) return 'util-linux mount is not on PATH';
  if (process.getuid?.() !== 0) return 'not root: the test makes the root dir a shared mount (mount --make-rshared)';
  return undefined;
}

const skip = (!which('kubectl') && NO_KUBECTL) || missingBuildPrerequisite();
if (skip) process.stderr.write(`agent-image: skipped: ${skip}\n`);

describe('the agent as a container image', { skip }, () => {
  const base = mkdtempSync(join(tmpdir(), 'mkl-image-'));
  const root = join(base, 'root');
  const kubeconfig = join(root, 'kubeconfig');
  let kubectl: Kubectl;
  let agent = '';
  let mounted = false;
  let grpcImage = '';

  /** Creates and starts an agent container; `binds` are the volumes (the socket is always bound). */
  async function runAgent(name: string, rootDir: string, binds: string[], extra: string[] = []): Promise<string> {
    const c = await docker.createContainer({
      name,
      Image: AGENT_IMAGE,
      Labels: LABELS,
      Cmd: ['serve', '--root-dir', rootDir, '--listen', '127.0.0.1:0', '--node-name', NODE, ...extra],
      HostConfig: {
        NetworkMode: 'host',
        CapAdd: ['SYS_ADMIN'],
        Binds: ['/var/run/docker.sock:/var/run/docker.sock', ...binds],
      },
    });
    await c.start();
    return c.id;
  }

  /** The container's output, demultiplexed (no TTY: 8-byte frame headers). */
  const logsOf = async (id: string): Promise<string> => {
    const raw = (await docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false })) as Buffer;
    let out = '';
    for (let i = 0; i + 8 <= raw.length; ) {
      const size = raw.readUInt32BE(i + 4);
      out += raw.subarray(i + 8, i + 8 + size).toString();
      i += 8 + size;
    }
    return out;
  };

  const k = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, input === undefined ? {} : { input });
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };

  before(
    async () => {
      kubectl = kubectlForKubeconfig(kubeconfig)!;
      // Cached by build hash: a second run costs the hashing and two inspects.
      await ensureAgentImage(docker, { log: createLogger({ level: 'warn' }), repoDir: dirname(findImagesDir()) });
      // A real gRPC health server for the grpc readiness probe (built like the probes tests').
      grpcImage = await ensureGrpcHealthImage();
      mkdirSync(root, { mode: 0o700 });
      // The host side of rshared: the root dir must itself be a shared mount.
      await sh('mount', ['--bind', root, root]);
      mounted = true;
      await sh('mount', ['--make-rshared', root]);
    },
    { timeout: 300_000 },
  );

  after(async () => {
    await docker
      .getImage(PAUSE_TEST_IMAGE)
      .remove({ force: true })
      .catch(() => undefined);
    const mine = await docker.listContainers({
      all: true,
      filters: { label: [`${TEST_LABEL}=${LABELS[TEST_LABEL]}`] },
    });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    const idFile = join(root, 'agent-id');
    if (existsSync(idFile)) await removeAgentContainers(readFileSync(idFile, 'utf8').trim());
    if (mounted) await sh('umount', ['-R', root]).catch(() => sh('umount', ['-R', '-l', root]));
    rmSync(base, { recursive: true, force: true });
  });

  test('a pod runs from the containerised agent; logs, exec, port-forward; docker stop and a restart adopt it', async () => {
    // A hostPath is checked by the agent in its own filesystem, so it is bound at the same path too.
    const hostDir = join(base, 'host');
    mkdirSync(hostDir);
    writeFileSync(join(hostDir, 'from-host'), 'written on the host\n');
    // A static pod from a manifests directory on the host, bound read-only.
    const manifests = join(base, 'manifests');
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'static.yaml'), STATIC_POD);
    agent = await runAgent(
      `mkl-agent-${RUN}`,
      root,
      [`${root}:${root}:rshared`, `${hostDir}:${hostDir}:ro`, `${manifests}:/etc/minikubelet/manifests:ro`],
      ['--manifests', '/etc/minikubelet/manifests'],
    );
    await waitFor('the agent API', async () => (await kubectl(['get', '--raw', '/healthz'])).stdout === 'ok', 60_000);
    assert.match(await k(['get', 'nodes']), new RegExp(`${NODE}\\s+Ready`));
    await k(['wait', '--for=condition=Ready', `pod/static-${NODE}`, '--timeout=90s']);

    assert.match(await k(['apply', '-f', '-'], manifest(hostDir, grpcImage)), /pod\/web created/);
    await k(['wait', '--for=condition=Ready', 'pod/web', '--timeout=90s']);

    // The termination-log file lives under the root dir and was bound in by the engine.
    const initMsg = await k([
      'get',
      'pod',
      'web',
      '-o',
      'jsonpath={.status.initContainerStatuses[0].state.terminated.message}',
    ]);
    assert.equal(initMsg, 'init done\n');
    const logs = await k(['logs', 'web', '-c', 'app']);
    assert.match(logs, /app started\ninit ran/);
    // configMap, subPath (the agent's bind under the root dir) and secret (its tmpfs there).
    const seen = await k([
      'exec',
      'web',
      '-c',
      'app',
      '--',
      'cat',
      '/www/index.html',
      '/sub/index.html',
      '/secret/token',
    ]);
    assert.equal(seen, 'hello from a configMap\nhello from a configMap\ns3cret');

    const pf = spawnKubectlWith(kubectl, kubeconfig, ['port-forward', 'pod/web', ':8080']);
    try {
      const out = await pf.waitForOutput(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
      const port = /127\.0\.0\.1:(\d+) -> 8080/.exec(out)![1];
      const res = await fetch(`http://127.0.0.1:${port}/index.html`);
      assert.equal(await res.text(), 'hello from a configMap\n');
    } finally {
      await pf.stop();
    }

    // The image's HEALTHCHECK (GET /healthz at the kubeconfig's URL) turns healthy.
    await waitFor(
      'a healthy agent container',
      async () => (await docker.getContainer(agent).inspect()).State.Health?.Status === 'healthy',
      45_000,
      500,
    );

    const before = JSON.parse(await k(['get', 'pod', 'web', '-o', 'json'])) as PodJson;
    const appBefore = before.status.containerStatuses.find((c) => c.name === 'app')!;
    await docker.getContainer(agent).stop({ t: 30 });
    const stopped = await docker.getContainer(agent).inspect();
    assert.equal(stopped.State.ExitCode, 0, await logsOf(agent));
    assert.match(await logsOf(agent), /agent stopped/);
    const appId = appBefore.containerID.replace('docker://', '');
    assert.equal((await docker.getContainer(appId).inspect()).State.Running, true, 'the pod keeps running');

    await docker.getContainer(agent).start();
    await waitFor(
      'the restarted agent to report the pod Ready',
      async () => {
        const r = await kubectl(['get', 'pod', 'web', '-o', 'json']);
        if (r.status !== 0) return false;
        const p = JSON.parse(r.stdout) as PodJson;
        return p.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True') && p;
      },
      60_000,
      500,
    );
    const afterPod = JSON.parse(await k(['get', 'pod', 'web', '-o', 'json'])) as PodJson;
    const appAfter = afterPod.status.containerStatuses.find((c) => c.name === 'app')!;
    assert.equal(afterPod.metadata.uid, before.metadata.uid);
    assert.equal(appAfter.containerID, appBefore.containerID, 'adopted, not re-created');
    assert.equal(appAfter.restartCount, appBefore.restartCount);
    assert.match(await k(['exec', 'web', '-c', 'app', '--', 'cat', '/secret/token']), /^s3cret$/);
  });

  test('a root dir the engine sees at another path, or without rshared, is refused at start', async () => {
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    const cases: Array<[string, string[], RegExp]> = [
      [
        '/var/lib/minikubelet',
        [`${elsewhere}:/var/lib/minikubelet`],
        /error: the Docker engine does not see the root dir \/var\/lib\/minikubelet at the same path \((the engine finds no marker file there|the path does not exist for the engine)\).*-v \/var\/lib\/minikubelet:\/var\/lib\/minikubelet:rshared/,
      ],
      [
        elsewhere,
        [`${elsewhere}:${elsewhere}`],
        /does not propagate mounts back to the host: it needs rshared propagation/,
      ],
    ];
    for (const [i, [rootDir, binds, message]] of cases.entries()) {
      const id = await runAgent(`mkl-agent-${RUN}-refused-${i}`, rootDir, binds);
      const exit = await docker.getContainer(id).wait();
      assert.equal(exit.StatusCode, 1);
      assert.match(await logsOf(id), message);
    }
  });

  test('without gcc, the agent builds the pause image from the binary its image carries', async () => {
    // The image's own setup code, in the image (no gcc there), under a name of our own.
    const script = `
      import Dockerode from 'dockerode';
      import { ensurePauseImage } from '/opt/minikubelet/dist/src/setup/images.js';
      import { createLogger } from '/opt/minikubelet/dist/src/util/logger.js';
      await ensurePauseImage(new Dockerode(), '/opt/minikubelet/images',
        { log: createLogger({ level: 'info' }), pauseBinary: process.env.MINIKUBELET_PAUSE_BINARY }, process.env.IMG);
    `;
    const builder = await docker.createContainer({
      Image: AGENT_IMAGE,
      Labels: LABELS,
      Entrypoint: ['node', '--input-type=module', '-e', script],
      Env: [`IMG=${PAUSE_TEST_IMAGE}`],
      HostConfig: { Binds: ['/var/run/docker.sock:/var/run/docker.sock'] },
    });
    await builder.start();
    assert.equal((await builder.wait()).StatusCode, 0, await logsOf(builder.id));
    assert.match(await logsOf(builder.id), /building the pause image from the bundled binary/);
    const pause = await docker.createContainer({ Image: PAUSE_TEST_IMAGE, Labels: LABELS, Cmd: ['-v'] });
    await pause.start();
    assert.equal((await pause.wait()).StatusCode, 0);
    assert.match(await logsOf(pause.id), /^pause\.c 3\.10\n$/);
  });
});

interface PodJson {
  metadata: { uid: string };
  status: {
    conditions: Array<{ type: string; status: string }>;
    containerStatuses: Array<{ name: string; containerID: string; restartCount: number }>;
  };
}
