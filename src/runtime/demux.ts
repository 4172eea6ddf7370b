// Docker's stream multiplexing for non-TTY logs and exec output: frames of
// [type(1) 0 0 0 size(4, big-endian)] + payload, type 1 = stdout, 2 = stderr.
// A Transform (rather than modem.demuxStream, which writes without backpressure and
// never ends its targets) that interleaves stdout and stderr into one plain stream.
import { Transform, type TransformCallback } from 'node:stream';

export class Demuxer extends Transform {
  #buf: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    while (this.#buf.length >= 8) {
      const type = this.#buf[0]!;
      if (type > 2 || this.#buf[1] !== 0 || this.#buf[2] !== 0 || this.#buf[3] !== 0) {
        // Not multiplexed after all (a TTY stream): pass the rest through untouched.
        this.push(this.#buf);
        this.#buf = Buffer.alloc(0);
        break;
      }
      const size = this.#buf.readUInt32BE(4);
      if (this.#buf.length < 8 + size) break;
      if (size > 0) this.push(this.#buf.subarray(8, 8 + size));
      this.#buf = this.#buf.subarray(8 + size);
    }
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
