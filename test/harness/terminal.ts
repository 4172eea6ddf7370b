// A real terminal for interactive kubectl (exec -it, attach -it, run -it): a detached
// tmux session of a fixed size on its own server socket, driven by send-keys and read
// with capture-pane, the way a person types and reads the screen.
import { execFileSync } from 'node:child_process';
import { waitFor } from './agent.js';

export class Terminal {
  readonly #socket: string;
  private constructor(socket: string) {
    this.#socket = socket;
  }

  /** Runs `command` (a shell line) in a width×height terminal; the screen shows `__rc=N` when it ends. */
  static start(command: string, size = { width: 100, height: 40 }): Terminal {
    const socket = `mkl-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    execFileSync('tmux', [
      '-L',
      socket,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-x',
      String(size.width),
      '-y',
      String(size.height),
      `${command}; echo __rc=$?; sleep 600`,
    ]);
    return new Terminal(socket);
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.#socket, ...args], { encoding: 'utf8' });
  }

  /** Types text (literally); `\r` is Enter. */
  type(text: string): void {
    this.#tmux('send-keys', '-t', '0', '-l', text);
  }
  /** A key by tmux name, e.g. `C-d`. */
  key(name: string): void {
    this.#tmux('send-keys', '-t', '0', name);
  }
  screen(): string {
    return this.#tmux('capture-pane', '-p', '-t', '0', '-S', '-200');
  }
  waitForScreen(re: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    return waitFor(`screen to match ${re}`, () => re.exec(this.screen()) ?? undefined, timeoutMs, 100).catch(
      (err: Error) => {
        throw new Error(`${err.message}\n--- screen ---\n${this.screen()}`);
      },
    );
  }
  /** The exit code of the command, once it ended. */
  async exitCode(timeoutMs = 60_000): Promise<number> {
    const m = await this.waitForScreen(/__rc=(\d+)/, timeoutMs);
    return Number(m[1]);
  }
  kill(): void {
    try {
      this.#tmux('kill-server');
    } catch {
      /* already gone */
    }
  }
}
