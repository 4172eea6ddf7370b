// One SPDY/3.1 connection, either end (moby/spdystream connection.go, which both the
// kubelet's streaming server and kubectl use). As the server, every stream the peer opens
// is accepted with a SYN_REPLY and handed to onStream; as the client (minikubelet
// port-forward), openStream() sends SYN_STREAM and resolves on the SYN_REPLY. DATA goes to
// the stream's `incoming`, the peer's PINGs are echoed, RST_STREAM/GOAWAY end streams.
// No flow control: spdystream does not enforce windows either. Frames are handled
// strictly in order, because header blocks share one zlib stream per direction and each
// one is decompressed asynchronously.
// Protocol code only (no server or client concerns), so both src/server and src/client use it.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import {
  encodeData,
  encodeGoaway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  type Frame,
  type Headers,
  HeaderCompression,
  RstStatus,
  SpdyParser,
  SpdyProtocolError,
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

  /** Reset the stream from our side (RST_STREAM CANCEL), as kubectl does once a forwarded connection is done. */
  cancel(): void {
    if (this.#reset) return;
    this.session.send(encodeRstStream(this.id, RstStatus.CANCEL));
    this.abort();
  }

  /** The peer reset the stream or the connection went away. */
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

/** Which end: clients open odd-numbered streams and PINGs, servers even ones (§2.3.2, §2.6.5). */
export type SpdyRole = 'server' | 'client';

export class SpdySession {
  readonly #parser = new SpdyParser();
  readonly #headers = new HeaderCompression();
  readonly #streams = new Map<number, SpdyStream>();
  /** Streams we opened, waiting for their SYN_REPLY. */
  readonly #pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  #nextId: number;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly transport: SpdyTransport,
    private readonly onStream: (s: SpdyStream) => void,
    private readonly onError: (err: Error) => void = () => undefined,
    private readonly role: SpdyRole = 'server',
  ) {
    this.#nextId = role === 'client' ? 1 : 2;
  }

  /** Ids the peer may use: odd ones when we are the server. */
  #fromPeer(id: number): boolean {
    return (id % 2 === 1) === (this.role === 'server');
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Opens a stream (SYN_STREAM with these headers); resolves once the peer replied. */
  async openStream(headers: Headers): Promise<SpdyStream> {
    if (this.#closed) throw new SpdyProtocolError('connection closed');
    const id = this.#nextId;
    this.#nextId += 2;
    const stream = new SpdyStream(id, headers, this);
    this.#streams.set(id, stream);
    stream.once('reset', () => this.#streams.delete(id));
    const replied = new Promise<void>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    // Header blocks share one deflate stream: compress and send in the same order.
    const block = await this.#headers.compress(headers);
    this.send(encodeSynStream(id, block));
    await replied;
    return stream;
  }

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
    for (const p of this.#pending.values()) p.reject(new SpdyProtocolError('connection closed'));
    this.#pending.clear();
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
        if (this.#streams.has(f.streamId) || !this.#fromPeer(f.streamId)) {
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
      case 'syn_reply': {
        await this.#headers.decompress(f.headerBlock);
        this.#pending.get(f.streamId)?.resolve();
        this.#pending.delete(f.streamId);
        if (f.fin) this.#streams.get(f.streamId)?.incoming.end();
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
        this.#pending.get(f.streamId)?.reject(new SpdyProtocolError(`stream ${f.streamId} refused (${f.status})`));
        this.#pending.delete(f.streamId);
        this.#streams.get(f.streamId)?.abort();
        return;
      case 'ping':
        // Echo the peer's PINGs; an answer to one of ours is not echoed again.
        if (this.#fromPeer(f.id)) this.send(encodePing(f.id));
        return;
      case 'goaway':
        this.close();
        return;
      default:
        return;
    }
  }
}
