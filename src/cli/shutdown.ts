// Signals of a foreground agent (`serve`): the first SIGINT/SIGTERM asks for an orderly
// stop (the kubelet too stops on SIGTERM without touching its pods); a second one, while
// that stop or a drain is still under way, exits at once with the shell's code for the
// signal (128 + signo: 130 for SIGINT, 143 for SIGTERM).
import type { Logger } from '../util/logger.js';

export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof SIGNAL_EXIT_CODES;
const SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as StopSignal[];

/** Resolves with the first stop signal; from then on another one calls `exit` at once. */
export function waitForStopSignal(log: Logger, exit: (code: number) => void = process.exit): Promise<StopSignal> {
  return new Promise((resolve) => {
    const again = (signal: StopSignal) => {
      log.warn({ signal }, 'second signal during shutdown: exiting at once');
      exit(SIGNAL_EXIT_CODES[signal]);
    };
    const first = (signal: StopSignal) => {
      for (const s of SIGNALS) {
        process.off(s, first);
        process.on(s, again);
      }
      resolve(signal);
    };
    for (const s of SIGNALS) process.on(s, first);
  });
}
