import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { constants, deflateSync } from 'node:zlib';
import { SPDY3_DICTIONARY } from '../../../../src/util/httpstream/spdy-dictionary.js';
import {
  decodeHeaderBlock,
  encodeData,
  encodeGoaway,
  encodeHeaderBlock,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  HeaderCompression,
  SpdyParser,
  SpdyProtocolError,
} from '../../../../src/util/httpstream/spdy-framer.js';

function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

test('the SPDY/3 dictionary has the spec length and the id kubectl announces (e3c6a7c2)', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(adler32(SPDY3_DICTIONARY).toString(16), 'e3c6a7c2');
  // zlib puts the same id after FDICT: the bytes kubectl's first header block starts with.
  const z = deflateSync(Buffer.from('x'), { dictionary: SPDY3_DICTIONARY, flush: constants.Z_SYNC_FLUSH });
  assert.deepEqual([...z.subarray(2, 6)], [0xe3, 0xc6, 0xa7, 0xc2]);
});

test('data frame: exact bytes and round trip with FIN', () => {
  const f = encodeData(3, Buffer.from('hi'), true);
  assert.deepEqual([...f], [0, 0, 0, 3, 1, 0, 0, 2, 0x68, 0x69]);
  assert.deepEqual(new SpdyParser().push(f), [{ type: 'data', streamId: 3, fin: true, data: Buffer.from('hi') }]);
});

test('control frames round trip: SYN_STREAM, SYN_REPLY, RST_STREAM, PING, GOAWAY', () => {
  const block = Buffer.from([1, 2, 3]);
  const bytes = Buffer.concat([
    encodeSynStream(5, block, { priority: 2, fin: true }),
    encodeSynReply(5, block),
    encodeRstStream(5, 5),
    encodePing(7),
    encodeGoaway(5, 0),
  ]);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x80, 0x03, 0x00, 0x01]);
  assert.deepEqual(new SpdyParser().push(bytes), [
    { type: 'syn_stream', streamId: 5, associatedId: 0, priority: 2, fin: true, headerBlock: block },
    { type: 'syn_reply', streamId: 5, fin: false, headerBlock: block },
    { type: 'rst_stream', streamId: 5, status: 5 },
    { type: 'ping', id: 7 },
    { type: 'goaway', lastGoodStreamId: 5, status: 0 },
  ]);
});

test('the parser reassembles frames split across chunks, byte by byte', () => {
  const bytes = Buffer.concat([encodeData(1, Buffer.from('abc')), encodePing(9), encodeData(3, Buffer.alloc(0), true)]);
  const p = new SpdyParser();
  const frames = [...bytes].flatMap((b) => p.push(Buffer.from([b])));
  assert.deepEqual(
    frames.map((f) => f.type),
    ['data', 'ping', 'data'],
  );
  assert.deepEqual(frames[0], { type: 'data', streamId: 1, fin: false, data: Buffer.from('abc') });
});

test('a control frame of another SPDY version is a protocol error', () => {
  const f = encodePing(1);
  f.writeUInt16BE(0x8002, 0);
  assert.throws(() => new SpdyParser().push(f), SpdyProtocolError);
});

test('header blocks: encode/decode, lower-case names, truncation rejected', () => {
  const h = { streamtype: 'data', port: '80', requestid: '0' };
  const block = encodeHeaderBlock({ StreamType: 'data', port: '80', requestid: '0' });
  assert.deepEqual(decodeHeaderBlock(block), h);
  assert.throws(() => decodeHeaderBlock(block.subarray(0, block.length - 1)), SpdyProtocolError);
});

test('header compression: one zlib stream per direction across several blocks, with the dictionary', async () => {
  const client = new HeaderCompression();
  const server = new HeaderCompression();
  const blocks: Record<string, string>[] = [
    { streamtype: 'error', port: '80', requestid: '0' },
    { streamtype: 'data', port: '80', requestid: '0' },
    {},
    { streamtype: 'data', port: '8080', requestid: '1' },
  ];
  const compressed = await Promise.all(blocks.map((b) => client.compress(b)));
  // Like kubectl's `78 f9 e3 c6 a7 c2`: zlib header with FDICT set, then the dictionary id
  // (kubectl's FLEVEL bits say "best compression"; the level does not matter to the reader).
  assert.equal(compressed[0]![0], 0x78);
  assert.equal(compressed[0]![1]! & 0x20, 0x20);
  assert.deepEqual([...compressed[0]!.subarray(2, 6)], [0xe3, 0xc6, 0xa7, 0xc2]);
  // Later blocks continue the stream (no zlib header again) and are only decodable in order.
  assert.notEqual(compressed[1]![0], 0x78);
  for (const [i, c] of compressed.entries()) assert.deepEqual(await server.decompress(c), blocks[i]);
  await assert.rejects(() => new HeaderCompression().decompress(compressed[1]!));
  client.close();
  server.close();
});
