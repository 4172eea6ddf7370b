// The SPDY session from both ends, wired back to back in memory.
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { SpdySession, type SpdyStream } from '../../../../src/util/httpstream/spdy-session.js';

test('a client opens streams (odd ids), the server accepts them; data both ways, FIN and CANCEL', async () => {
  const accepted: SpdyStream[] = [];
  let server!: SpdySession;
  const client = new SpdySession(
    { write: (b) => server.receive(b), close: () => undefined },
    () => undefined,
    undefined,
    'client',
  );
  server = new SpdySession({ write: (b) => client.receive(b), close: () => undefined }, (s) => {
    accepted.push(s);
    s.incoming.on('data', (d: Buffer) => s.write(Buffer.from(d.toString().toUpperCase())));
    s.incoming.once('end', () => s.end());
  });
  const a = await client.openStream({ streamtype: 'data', port: '80', requestid: '0' });
  const b = await client.openStream({ streamtype: 'error', port: '80', requestid: '0' });
  assert.deepEqual([a.id, b.id], [1, 3]);
  assert.deepEqual(
    accepted.map((s) => s.headers),
    [
      { streamtype: 'data', port: '80', requestid: '0' },
      { streamtype: 'error', port: '80', requestid: '0' },
    ],
  );
  const chunks: string[] = [];
  a.incoming.on('data', (d: Buffer) => chunks.push(d.toString()));
  a.write(Buffer.from('hello'));
  a.end();
  await once(a.incoming, 'end');
  assert.equal(chunks.join(''), 'HELLO');
  b.cancel();
  await once(accepted[1]!, 'reset');
  assert.equal(accepted[1]!.isReset, true);
  client.close();
  await assert.rejects(client.openStream({ streamtype: 'data' }), /connection closed/);
});
