// Docker's stream multiplexing for non-TTY logs and exec output: frames of
// [type(1) 0 0 0 size(4, big-endian)] + payload, type 1 = stdout, 2 = stderr.
// A Transform (rather than modem.demuxStream, which writes without backpressure and
// never ends its targets) that interleaves stdout and stderr into one plain stream.
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Reads multiplexed frames off `buf`, calling onFrame(type, payload) for each whole one;
 * returns the unread rest, or undefined when the bytes are not multiplexed after all
 * (a TTY stream), in which case the caller passes them through untouched.
 */
function readFrames(buf: Buffer, onFrame: (type: number, payload: Buffer) => void): Buffer | undefined {
  let rest = buf;
  while (rest.length >= 8) {
    const type = rest[0]!;
    if (type > 2 || rest[1] !== 0 || rest[2] !== 0 || rest[3] !== 0) return undefined;
    const size = rest.readUInt32BE(4);
    if (rest.length < 8 + size) break;
    if (size > 0) onFrame(type, rest.subarray(8, 8 + size));
    rest = rest.subarray(8 + size);
  }
  return rest;
}

export class Demuxer extends Transform {
  #buf: Buffer = Buffer.alloc(0);
  /** Which frame types to keep (1 stdout, 2 stderr; 0 is stdin, never sent). */
  readonly #keep: ReadonlySet<number>;

  constructor(keep: readonly number[] = [0, 1, 2]) {
    super();
    this.#keep = new Set(keep);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const rest = readFrames(this.#buf, (type, payload) => {
      if (this.#keep.has(type)) this.push(payload);
    });
    if (rest === undefined) {
      // Not multiplexed after all (a TTY stream): pass the rest through untouched.
      this.push(this.#buf);
      this.#buf = Buffer.alloc(0);
    } else this.#buf = rest;
    done();
  }

  override _flush(done: TransformCallback): void {
    // A truncated final frame: better to show its bytes than to drop them.
    if (this.#buf.length > 8) this.push(this.#buf.subarray(8));
    done();
  }
}

/** Passes the first `limit` bytes, then ends (`kubectl logs --limit-bytes`). */
export class ByteLimit extends Transform {
  #left: number;
  constructor(limit: number) {
    super();
    this.#left = Math.max(0, limit);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.#left <= 0) {
      done();
      return;
    }
    const part = chunk.length <= this.#left ? chunk : chunk.subarray(0, this.#left);
    this.#left -= part.length;
    this.push(part);
    if (this.#left <= 0) {
      this.push(null);
      this.emit('limit');
    }
    done();
  }
}
