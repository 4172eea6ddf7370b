// The server side of one SPDY/3.1 connection (moby/spdystream connection.go, which the
// kubelet's streaming server uses): every stream the client opens is accepted with a
// SYN_REPLY and handed to onStream; DATA goes to the stream's `incoming`, PINGs are
// echoed, RST_STREAM/GOAWAY end streams. No flow control: spdystream does not enforce
// windows either. Frames are handled strictly in order, because header blocks share one
// zlib stream per direction and each one is decompressed asynchronously.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import {
  encodeData,
  encodeGoaway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  type Frame,
  type Headers,
  HeaderCompression,
  RstStatus,
  SpdyParser,
} from './spdy-framer.js';

/** Where the session's bytes go: a raw socket, or binary WebSocket messages. */
export interface SpdyTransport {
  write(bytes: Buffer): void;
  close(): void;
}

export class SpdyStream extends EventEmitter {
  /** The client's DATA on this stream; ended by its FIN. */
  readonly incoming = new PassThrough();
  #finSent = false;
  #reset = false;

  constructor(
    readonly id: number,
    readonly headers: Headers,
    private readonly session: SpdySession,
  ) {
    super();
  }

  write(data: Buffer): void {
    if (this.#finSent || this.#reset || data.length === 0) return;
    this.session.send(encodeData(this.id, data));
  }

  /** Half-close our side (DATA with FIN). */
  end(): void {
    if (this.#finSent || this.#reset) return;
    this.#finSent = true;
    this.session.send(encodeData(this.id, Buffer.alloc(0), true));
  }

  /** The client reset the stream or the connection went away. */
  abort(): void {
    if (this.#reset) return;
    this.#reset = true;
    if (!this.incoming.writableEnded) this.incoming.end();
    this.emit('reset');
  }

  get isReset(): boolean {
    return this.#reset;
  }
}

export class SpdySession {
  readonly #parser = new SpdyParser();
  readonly #headers = new HeaderCompression();
  readonly #streams = new Map<number, SpdyStream>();
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly transport: SpdyTransport,
    private readonly onStream: (s: SpdyStream) => void,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  /** Bytes from the client, in any split. */
  receive(chunk: Buffer): void {
    if (this.#closed) return;
    let frames: Frame[];
    try {
      frames = this.#parser.push(chunk);
    } catch (err) {
      this.#fail(err as Error);
      return;
    }
    for (const f of frames) this.#chain = this.#chain.then(() => this.#handle(f)).catch((err) => this.#fail(err));
  }

  send(bytes: Buffer): void {
    if (!this.#closed) this.transport.write(bytes);
  }

  /** The transport closed (or we close it): every stream ends. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#streams.values()) s.abort();
    this.#streams.clear();
    this.#headers.close();
    this.transport.close();
  }

  #fail(err: Error): void {
    if (this.#closed) return;
    this.onError(err);
    this.send(encodeGoaway(0, 1));
    this.close();
  }

  async #handle(f: Frame): Promise<void> {
    if (this.#closed) return;
    switch (f.type) {
      case 'syn_stream': {
        const headers = await this.#headers.decompress(f.headerBlock);
        if (this.#streams.has(f.streamId) || f.streamId % 2 === 0) {
          this.send(encodeRstStream(f.streamId, RstStatus.PROTOCOL_ERROR));
          return;
        }
        const stream = new SpdyStream(f.streamId, headers, this);
        this.#streams.set(f.streamId, stream);
        stream.once('reset', () => this.#streams.delete(f.streamId));
        this.send(encodeSynReply(f.streamId, await this.#headers.compress({})));
        if (f.fin) stream.incoming.end();
        this.onStream(stream);
        return;
      }
      case 'headers':
        // Keep the shared inflater in step even though nothing here needs trailing headers.
        await this.#headers.decompress(f.headerBlock);
        return;
      case 'data': {
        const s = this.#streams.get(f.streamId);
        if (!s) {
          this.send(encodeRstStream(f.streamId, RstStatus.INVALID_STREAM));
          return;
        }
        if (f.data.length && !s.incoming.writableEnded) s.incoming.write(f.data);
        if (f.fin && !s.incoming.writableEnded) s.incoming.end();
        return;
      }
      case 'rst_stream':
        this.#streams.get(f.streamId)?.abort();
        return;
      case 'ping':
        this.send(encodePing(f.id));
        return;
      case 'goaway':
        this.close();
        return;
      default:
        return;
    }
  }
}
