// Did the engine tell of an OOM kill? The Docker engine can lose one altogether:
// containerd's shim (cgroup v1) misses the OOM notification when the killed process is
// gone first, and dockerd then neither sets State.OOMKilled nor sends an `oom` event (seen
// about once in 60 OOM kills with both cores of a 2-core machine busy). Tests of the
// OOMKilled reason retry such a run: what they assert is that whenever the engine told
// (the flag, or the `oom` event dockerd sends late without the flag), we report it.
import type Dockerode from 'dockerode';

export interface EngineOomWatch {
  /** Did the engine report an OOM kill for this container (its flag, or an `oom` event seen so far)? */
  told(containerId: string): Promise<boolean>;
  stop(): void;
}

/** Start collecting the engine's `oom` events for containers labelled `label` (k=v). */
export async function watchEngineOoms(docker: Dockerode, label: string): Promise<EngineOomWatch> {
  const stream = (await docker.getEvents({
    filters: { type: ['container'], event: ['oom'], label: [label] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  const seen = new Set<string>();
  let buf = '';
  stream.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) {
      if (!l.trim()) continue;
      const id = (JSON.parse(l) as { Actor?: { ID?: string } }).Actor?.ID;
      if (id) seen.add(id);
    }
  });
  stream.on('error', () => undefined); // destroyed at stop()
  return {
    async told(id) {
      if (seen.has(id)) return true;
      return (await docker.getContainer(id).inspect()).State.OOMKilled === true;
    },
    stop: () => stream.destroy(),
  };
}
