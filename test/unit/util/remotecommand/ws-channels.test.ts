import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import {
  decodeClientMessage,
  encodeChannel,
  exitStatus,
  pickChannelProtocol,
  V4,
  V5,
} from '../../../../src/util/remotecommand/ws-channels.js';

test('protocol choice: v5 over v4, nothing else', () => {
  assert.equal(pickChannelProtocol([V4, V5]), V5);
  assert.equal(pickChannelProtocol([' v4.channel.k8s.io']), V4);
  assert.equal(pickChannelProtocol(['channel.k8s.io', 'base64.channel.k8s.io']), undefined);
});

test('messages: channel byte then payload', () => {
  assert.deepEqual([...encodeChannel(1, 'ok')], [1, 0x6f, 0x6b]);
  assert.deepEqual(decodeClientMessage(Buffer.from([0, 0x61]), V5), { kind: 'stdin', data: Buffer.from('a') });
});

test('resize: {"Width","Height"} with a trailing newline; junk is ignored', () => {
  const msg = Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":40}\n')]);
  assert.deepEqual(decodeClientMessage(msg, V5), { kind: 'resize', width: 100, height: 40 });
  assert.equal(decodeClientMessage(Buffer.from([4, 0x7b]), V5).kind, 'ignored');
  assert.equal(
    decodeClientMessage(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":-1,"Height":2}')]), V5).kind,
    'ignored',
  );
});

test('close channel (ff 00 = stdin EOF) exists only in v5', () => {
  assert.deepEqual(decodeClientMessage(Buffer.from([0xff, 0]), V5), { kind: 'close', channel: 0 });
  assert.equal(decodeClientMessage(Buffer.from([0xff, 0]), V4).kind, 'ignored');
});

test('exit status: Success for 0, NonZeroExitCode with an ExitCode cause otherwise', () => {
  assert.deepEqual(exitStatus(0, ['true']), { metadata: {}, status: 'Success' });
  const s = exitStatus(3, ['sh', '-c', 'exit 3']);
  assert.equal(s.reason, 'NonZeroExitCode');
  assert.deepEqual(s.details, { causes: [{ reason: 'ExitCode', message: '3' }] });
  assert.match(s.message!, /\[sh -c exit 3\], exit code 3/);
});
