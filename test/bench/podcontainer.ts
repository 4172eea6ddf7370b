// Time to the first Ready pod with PodContainer, next to what testcontainers itself does
// with the same image (issue #16 §2's benchmark row). Run: `node dist/test/bench/podcontainer.js`
// (several times: only the first start of a process is "cold"). Prints one JSON line per
// measurement; nothing is asserted (timings are the machine's, not the code's).
//
// K3sContainer cannot be measured here: its image (rancher/k3s) cannot be pulled (no
// registry is reachable) and k3s needs a privileged container, which this engine refuses
// ("unable to apply caps: operation not permitted"). The attempt's error is printed.
import { GenericContainer, Wait as TcWait } from 'testcontainers';
import { PodContainer, stopEmbeddedAgent, Wait } from '../../src/index.js';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

const IMAGE = 'minikubelet.local/busybox:1.35';
const SERVE = 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www';

function pod(i: number): PodContainer {
  return new PodContainer({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-${process.pid}-${i}` },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'web',
          image: IMAGE,
          command: ['sh', '-c', SERVE],
          ports: [{ containerPort: 8080 }],
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
        },
      ],
    },
  }).withWaitStrategy(Wait.forPodReady());
}

async function timed(what: string, fn: () => Promise<{ stop(): Promise<unknown> }>): Promise<void> {
  const t0 = performance.now();
  const r = await fn();
  const ms = Math.round(performance.now() - t0);
  await r.stop();
  console.log(JSON.stringify({ what, ms }));
}

const runs = Number(process.argv[2] ?? 3);
await timed('PodContainer cold (embedded agent start + pod Ready)', () => pod(0).start());
for (let i = 1; i <= runs; i++) await timed('PodContainer warm (pod Ready)', () => pod(i).start());
for (let i = 1; i <= runs; i++) {
  await timed('GenericContainer (same image, port listening)', () =>
    new GenericContainer(IMAGE)
      .withCommand(['sh', '-c', SERVE])
      .withExposedPorts(8080)
      .withWaitStrategy(TcWait.forListeningPorts())
      .start(),
  );
}
try {
  const t0 = performance.now();
  await new GenericContainer('rancher/k3s:v1.31.2-k3s1').withPrivilegedMode().start();
  console.log(JSON.stringify({ what: 'k3s', ms: Math.round(performance.now() - t0) }));
} catch (err) {
  console.log(JSON.stringify({ what: 'k3s', error: String((err as Error).message).split('\n')[0] }));
}
await stopEmbeddedAgent();
