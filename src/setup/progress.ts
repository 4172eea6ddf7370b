// Drains a build or pull stream. The engine reports most failures INSIDE the stream
// (HTTP 200, then {"errorDetail":...}), so each event is checked, not just the status.
import type Dockerode from 'dockerode';

interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export function drainProgress(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<ProgressEvent[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: ProgressEvent[]) => {
      if (err) return reject(err);
      const bad = events.find((e) => e.error || e.errorDetail);
      if (bad) return reject(new Error(bad.errorDetail?.message ?? bad.error ?? 'unknown error'));
      resolve(events);
    });
  });
}

/** The build's own output lines, for error messages and debug logs. */
export function buildOutput(events: ProgressEvent[]): string {
  return events.map((e) => e.stream ?? e.status ?? '').join('');
}
