// getMappedPort for a pod: one loopback listener per declared container port, each
// connection carried to the pod through the portforward subresource (as `kubectl
// port-forward` does) over one SPDY connection per pod, opened at the first use and
// again after it was lost. Declared ports only, like testcontainers' exposed ports.
import { createServer, type Server, type Socket } from 'node:net';
import type { ApiClient } from '../client/api-client.js';
import { PortForwarder } from '../client/port-forwarder.js';

export class PodPortMap {
  readonly host = '127.0.0.1';
  readonly #servers = new Map<number, { server: Server; hostPort: number }>();
  readonly #sockets = new Set<Socket>();
  #forwarder: Promise<PortForwarder> | undefined;

  private constructor(
    readonly client: ApiClient,
    readonly ns: string,
    readonly pod: string,
  ) {}

  static async open(client: ApiClient, ns: string, pod: string, ports: number[]): Promise<PodPortMap> {
    const m = new PodPortMap(client, ns, pod);
    try {
      for (const p of new Set(ports)) await m.#listen(p);
    } catch (err) {
      await m.close();
      throw err;
    }
    return m;
  }

  /** The loopback port that reaches `containerPort` in the pod. */
  get(containerPort: number): number {
    const s = this.#servers.get(containerPort);
    if (!s) throw new Error(`No port binding found for :${containerPort} (declare it in the pod's ports)`);
    return s.hostPort;
  }

  async #listen(containerPort: number): Promise<void> {
    const server = createServer((sock) => this.#carry(sock, containerPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.host, () => resolve());
    });
    const addr = server.address();
    const hostPort = typeof addr === 'object' && addr ? addr.port : 0;
    this.#servers.set(containerPort, { server, hostPort });
  }

  #carry(sock: Socket, containerPort: number): void {
    this.#sockets.add(sock);
    sock.once('close', () => this.#sockets.delete(sock));
    sock.on('error', () => undefined);
    this.#forwarder ??= PortForwarder.connect(this.client, this.ns, this.pod, () => {
      this.#forwarder = undefined;
    });
    const f = this.#forwarder;
    f.then((fw) => fw.forward(sock, containerPort)).catch(() => {
      if (this.#forwarder === f) this.#forwarder = undefined;
      sock.destroy();
    });
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    const f = this.#forwarder;
    this.#forwarder = undefined;
    const fw = f === undefined ? undefined : await f.catch(() => undefined);
    fw?.close();
    await Promise.all([...this.#servers.values()].map((s) => new Promise<void>((r) => s.server.close(() => r()))));
    this.#servers.clear();
  }
}
