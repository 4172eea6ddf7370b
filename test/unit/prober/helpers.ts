// Shared bits for the prober unit tests: a recording event sink, a flush helper.
import type { EventSink } from '../../../src/events/recorder.js';
import type { ValidPod } from '../../../src/apis/core/types.js';

export interface Recorded {
  type: string;
  reason: string;
  message: string;
  fieldPath?: string;
}

export class RecordingEvents implements EventSink {
  readonly events: Recorded[] = [];
  event(_pod: ValidPod, type: string, reason: string, message: string, fieldPath?: string): void {
    this.events.push({ type, reason, message, ...(fieldPath ? { fieldPath } : {}) });
  }
  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}

/** Let pending promise callbacks run (several turns of the event loop). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}
