// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 §2.2, §2.6), the part of SPDY that
// kubectl's port-forward (and exec fallback) needs: frames, header blocks and their zlib
// compression. No maintained Node library speaks SPDY/3 any more, so this is written
// here; the Go side kubectl uses is moby/spdystream spdy/{read,write}.go.
// Pure apart from zlib: the parser accepts bytes in any split and yields whole frames.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const ControlType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** RST_STREAM status codes (§2.6.3). */
export const RstStatus = { PROTOCOL_ERROR: 1, INVALID_STREAM: 2, REFUSED_STREAM: 3, CANCEL: 5, INTERNAL_ERROR: 6 };

export type Headers = Record<string, string>;

/** A frame as read off the wire; header blocks are still compressed. */
export type RawFrame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; payload: Buffer };

export type Frame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; fin: boolean; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'settings'; payload: Buffer }
  | { type: 'unknown'; controlType: number };

export class SpdyProtocolError extends Error {
  override readonly name = 'SpdyProtocolError';
}

/** Largest frame we accept (the 24-bit length allows 16 MiB; nothing legitimate comes near). */
export const MAX_FRAME_LENGTH = 1 << 24;

/** Incremental frame parser: push bytes as they arrive, get every complete frame. */
export class SpdyParser {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.#buf.length >= 8) {
      const len = this.#buf.readUIntBE(5, 3);
      if (this.#buf.length < 8 + len) break;
      const head = this.#buf.subarray(0, 8);
      const body = this.#buf.subarray(8, 8 + len);
      this.#buf = this.#buf.subarray(8 + len);
      out.push(decodeFrame(rawFrame(head, body)));
    }
    return out;
  }
}

function rawFrame(head: Buffer, body: Buffer): RawFrame {
  const flags = head[4]!;
  if (head[0]! & 0x80) {
    const version = head.readUInt16BE(0) & 0x7fff;
    if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
    return { kind: 'control', type: head.readUInt16BE(2), flags, payload: body };
  }
  return { kind: 'data', streamId: head.readUInt32BE(0) & 0x7fffffff, flags, data: Buffer.from(body) };
}

function need(p: Buffer, n: number, what: string): void {
  if (p.length < n) throw new SpdyProtocolError(`${what} frame too short (${p.length} bytes)`);
}

const id31 = (p: Buffer, at: number) => p.readUInt32BE(at) & 0x7fffffff;

export function decodeFrame(raw: RawFrame): Frame {
  if (raw.kind === 'data')
    return { type: 'data', streamId: raw.streamId, fin: (raw.flags & FLAG_FIN) !== 0, data: raw.data };
  const { type, flags } = raw;
  const p = raw.payload;
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case ControlType.SYN_STREAM:
      need(p, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: id31(p, 0),
        associatedId: id31(p, 4),
        priority: p[8]! >> 5,
        fin,
        headerBlock: Buffer.from(p.subarray(10)),
      };
    case ControlType.SYN_REPLY:
      need(p, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: id31(p, 0), fin, headerBlock: Buffer.from(p.subarray(4)) };
    case ControlType.HEADERS:
      need(p, 4, 'HEADERS');
      return { type: 'headers', streamId: id31(p, 0), fin, headerBlock: Buffer.from(p.subarray(4)) };
    case ControlType.RST_STREAM:
      need(p, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: id31(p, 0), status: p.readUInt32BE(4) };
    case ControlType.PING:
      need(p, 4, 'PING');
      return { type: 'ping', id: p.readUInt32BE(0) };
    case ControlType.GOAWAY:
      need(p, 8, 'GOAWAY');
      return { type: 'goaway', lastGoodStreamId: id31(p, 0), status: p.readUInt32BE(4) };
    case ControlType.WINDOW_UPDATE:
      need(p, 8, 'WINDOW_UPDATE');
      return { type: 'window_update', streamId: id31(p, 0), delta: p.readUInt32BE(4) & 0x7fffffff };
    case ControlType.SETTINGS:
      return { type: 'settings', payload: Buffer.from(p) };
    default:
      return { type: 'unknown', controlType: type };
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length >= MAX_FRAME_LENGTH) throw new SpdyProtocolError('frame too large');
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

function u32s(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  for (const [i, v] of values.entries()) b.writeUInt32BE(v >>> 0, 4 * i);
  return b;
}

export function encodeData(streamId: number, data: Buffer, fin = false): Buffer {
  if (data.length >= MAX_FRAME_LENGTH) throw new SpdyProtocolError('frame too large');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = fin ? FLAG_FIN : 0;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

/** SYN_STREAM with an already compressed header block. */
export function encodeSynStream(
  streamId: number,
  headerBlock: Buffer,
  opts: { associatedId?: number; priority?: number; fin?: boolean } = {},
): Buffer {
  const prio = Buffer.from([((opts.priority ?? 0) & 7) << 5, 0]);
  return control(
    ControlType.SYN_STREAM,
    opts.fin ? FLAG_FIN : 0,
    Buffer.concat([u32s(streamId, opts.associatedId ?? 0), prio, headerBlock]),
  );
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  return control(ControlType.SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([u32s(streamId), headerBlock]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  return control(ControlType.RST_STREAM, 0, u32s(streamId, status));
}

export function encodePing(id: number): Buffer {
  return control(ControlType.PING, 0, u32s(id));
}

export function encodeGoaway(lastGoodStreamId: number, status = 0): Buffer {
  return control(ControlType.GOAWAY, 0, u32s(lastGoodStreamId, status));
}

/** An uncompressed header block (§2.6.10): u32 count, then u32-length-prefixed names and values. */
export function encodeHeaderBlock(headers: Headers): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32s(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32s(n.length), n, u32s(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): Headers {
  let at = 0;
  const take = (): Buffer => {
    if (block.length < at + 4) throw new SpdyProtocolError('truncated header block');
    const len = block.readUInt32BE(at);
    at += 4;
    if (block.length < at + len) throw new SpdyProtocolError('truncated header block');
    const b = block.subarray(at, at + len);
    at += len;
    return b;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  at = 4;
  const out: Headers = {};
  for (let i = 0; i < count; i++) {
    const name = take().toString('utf8').toLowerCase();
    // Several values are NUL-separated; kubectl sends one, and the first one is what it means.
    out[name] = take().toString('utf8').split('\0')[0]!;
  }
  return out;
}

/**
 * One zlib stream per direction for the whole connection (§2.6.10.1): every block is
 * a SYNC_FLUSH of the same deflate stream, preset with the SPDY dictionary. Calls are
 * serialised, because each block depends on the ones before it.
 */
export class HeaderCompression {
  readonly #deflate: Deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  readonly #inflate: Inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  #outQueue: Promise<unknown> = Promise.resolve();
  #inQueue: Promise<unknown> = Promise.resolve();

  compress(headers: Headers): Promise<Buffer> {
    const block = encodeHeaderBlock(headers);
    const next = this.#outQueue.then(() => flushThrough(this.#deflate, block));
    this.#outQueue = next.catch(() => undefined);
    return next;
  }

  async decompress(compressed: Buffer): Promise<Headers> {
    const next = this.#inQueue.then(() => flushThrough(this.#inflate, compressed));
    this.#inQueue = next.catch(() => undefined);
    return decodeHeaderBlock(await next);
  }

  close(): void {
    this.#deflate.close();
    this.#inflate.close();
  }
}

function flushThrough(z: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (b: Buffer) => chunks.push(b);
    const onError = (err: Error) => {
      z.off('data', onData);
      reject(new SpdyProtocolError(`header block: ${err.message}`));
    };
    z.on('data', onData);
    z.once('error', onError);
    if (input.length) z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      z.off('error', onError);
      resolve(Buffer.concat(chunks));
    });
  });
}
