// Image pull progress for `run` and `apply`. On a TTY: one live bar per pulling image,
// kept below the other output (cleared, the line written, redrawn). Otherwise: plain
// lines, one when a pull starts and one per finished layer, at most every 2 s per image.
import { formatPullBar, formatPullLine, type PullSnapshot } from '../images/pull-progress.js';

export interface ProgressOut {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class PullProgressView {
  #drawn = 0;
  #pulls: PullSnapshot[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #plain = new Map<string, { at: number; line: string; key: string }>();

  constructor(
    private readonly out: ProgressOut,
    private readonly tty = out.isTTY === true,
  ) {}

  /** Print a normal output line (the bars stay below it). */
  line(text: string): void {
    this.#clear();
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
    this.#draw();
  }

  /** The pulls in flight now (only those the caller cares about). */
  update(pulls: PullSnapshot[]): void {
    this.#pulls = pulls;
    if (!this.tty) {
      this.#plainLines(pulls);
      return;
    }
    // Redraw at most 10 times a second.
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#clear();
      this.#draw();
    }, 100);
    this.#timer.unref?.();
  }

  /** Remove the bars (before exiting). */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pulls = [];
    this.#clear();
  }

  #draw(): void {
    if (!this.tty || this.#pulls.length === 0) return;
    const width = Math.max(20, (this.out.columns ?? 100) - 1);
    const lines = this.#pulls.map((p) => `Pulling ${formatPullBar(p)}`.slice(0, width));
    this.out.write(`${lines.join('\n')}\n`);
    this.#drawn = lines.length;
  }

  #clear(): void {
    if (!this.tty || this.#drawn === 0) return;
    // Up to the first bar line, then clear to the end of the screen.
    this.out.write(`\x1b[${this.#drawn}A\x1b[J`);
    this.#drawn = 0;
  }

  #plainLines(pulls: PullSnapshot[]): void {
    const now = Date.now();
    for (const p of pulls) {
      const line = formatPullLine(p);
      // A new line when the phase or the layer count changes; bytes alone at most every 2 s.
      const key = `${p.phase} ${p.layers.done}/${p.layers.total}`;
      const last = this.#plain.get(p.image);
      if (
        last &&
        (line === last.line || key === last.key) &&
        (p.bytes.current === 0 || line === last.line || now - last.at < 2000)
      )
        continue;
      this.#plain.set(p.image, { at: now, line, key });
      this.out.write(`pulling ${line}\n`);
    }
    for (const image of this.#plain.keys()) if (!pulls.some((p) => p.image === image)) this.#plain.delete(image);
  }
}
