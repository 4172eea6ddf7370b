// Engine events as PLEG hints: GET /events filtered to this agent's containers,
// parsed from NDJSON. The stream is long-lived; when it ends or fails we reconnect
// with a small back-off and ask for everything since the last event seen (or since
// the watch began), so no exit in between is missed; a replayed event only causes
// one more, harmless, sync.
import type { Logger } from '../util/logger.js';
import { sleep } from '../util/clock.js';
import type { DockerClient } from './docker-client.js';
import { agentFilter, LABEL } from './labels.js';
import type { RuntimeEvent } from './runtime.js';

export const WATCHED_ACTIONS = ['create', 'start', 'die', 'kill', 'stop', 'destroy', 'oom'];
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

interface EngineEvent {
  Type?: string;
  Action?: string;
  timeNano?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** One NDJSON line → our event, or undefined for anything we do not watch. */
export function toRuntimeEvent(line: string): RuntimeEvent | undefined {
  return parseLine(line).event;
}

function parseLine(line: string): { event?: RuntimeEvent; timeNano?: number } {
  let ev: EngineEvent;
  try {
    ev = JSON.parse(line) as EngineEvent;
  } catch {
    return {};
  }
  const event = fromEngine(ev);
  return { ...(event ? { event } : {}), ...(ev.timeNano ? { timeNano: ev.timeNano } : {}) };
}

function fromEngine(ev: EngineEvent): RuntimeEvent | undefined {
  const action = ev.Action ?? '';
  const podUid = ev.Actor?.Attributes?.[LABEL.podUid];
  if (ev.Type !== 'container' || !WATCHED_ACTIONS.includes(action) || !podUid || !ev.Actor?.ID) return undefined;
  return { podUid, containerId: ev.Actor.ID, action };
}

export function watchEvents(
  docker: DockerClient,
  agentId: string,
  onEvent: (e: RuntimeEvent) => void,
  onError: (err: Error) => void,
  log?: Logger,
): () => void {
  const stop = new AbortController();
  let delay = RETRY_MIN_MS;
  // Engine time of the newest event seen (seconds); starts at the watch's start.
  let since = Date.now() / 1000;
  const seen = (timeNano: number) => {
    since = Math.max(since, timeNano / 1e9);
  };

  const connect = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        const stream = await docker.events(
          { type: ['container'], event: WATCHED_ACTIONS, label: [agentFilter(agentId)] },
          stop.signal,
          Number(since.toFixed(3)),
        );
        delay = RETRY_MIN_MS;
        await consume(stream, onEvent, seen);
        if (!stop.signal.aborted) log?.debug('engine event stream ended; reconnecting');
      } catch (err) {
        if (stop.signal.aborted) return;
        onError(err instanceof Error ? err : new Error(String(err)));
      }
      if (stop.signal.aborted) return;
      await sleep(delay, stop.signal).catch(() => undefined); // aborted: the loop ends
      delay = Math.min(RETRY_MAX_MS, delay * 2);
    }
  };
  void connect();
  return () => stop.abort();
}

function consume(
  stream: NodeJS.ReadableStream,
  onEvent: (e: RuntimeEvent) => void,
  onTime: (timeNano: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    stream.on('data', (chunk: Buffer | string) => {
      buf += chunk.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const { event, timeNano } = parseLine(line);
        if (timeNano) onTime(timeNano);
        if (event) onEvent(event);
      }
    });
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', (err: Error) => (err.name === 'AbortError' ? resolve() : reject(err)));
  });
}
