// Pure helpers of the Docker runtime: image refs, log options, demux, events,
// state mapping, network gateway.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { normalizeImageRef, splitImageRef } from '../../../src/runtime/image.js';
import { logsRequest } from '../../../src/runtime/logs.js';
import { ByteLimit, Demuxer } from '../../../src/runtime/demux.js';
import { toRuntimeEvent } from '../../../src/runtime/events.js';
import { dockerTime, runtimeState, timeKey } from '../../../src/runtime/relist.js';
import { firstHost } from '../../../src/runtime/network.js';

test('image refs get :latest only when they have no tag or digest', () => {
  assert.equal(normalizeImageRef('busybox'), 'busybox:latest');
  assert.equal(normalizeImageRef('busybox:1.35'), 'busybox:1.35');
  assert.equal(normalizeImageRef('localhost:5000/a/b'), 'localhost:5000/a/b:latest');
  assert.equal(normalizeImageRef('localhost:5000/a/b:v1'), 'localhost:5000/a/b:v1');
  assert.equal(normalizeImageRef('a@sha256:abc'), 'a@sha256:abc');
  assert.deepEqual(splitImageRef('h:1/x:t@sha256:d'), { repo: 'h:1/x', tag: 't', digest: 'sha256:d' });
});

test('log options map onto the engine query', () => {
  const now = 1_700_000_000_000;
  assert.deepEqual(logsRequest({}, now), { follow: false, timestamps: false });
  assert.deepEqual(logsRequest({ follow: true, tailLines: 5, timestamps: true, sinceSeconds: 60 }, now + 500), {
    follow: true,
    timestamps: true,
    tail: 5,
    since: 1_700_000_000.5 - 60,
  });
  assert.equal(logsRequest({ sinceTime: '2023-11-14T22:13:20.25Z' }, now).since, 1_700_000_000.25);
  assert.throws(() => logsRequest({ sinceTime: 'yesterday' }), /invalid sinceTime/);
});

function frame(type: number, s: string): Buffer {
  const body = Buffer.from(s);
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
}

async function collect(r: Readable): Promise<string> {
  let s = '';
  for await (const c of r) s += c.toString();
  return s;
}

test('demuxer interleaves stdout and stderr, across chunk boundaries', async () => {
  const all = Buffer.concat([frame(1, 'out1\n'), frame(2, 'err1\n'), frame(1, 'out2\n')]);
  const chunks = [all.subarray(0, 3), all.subarray(3, 15), all.subarray(15)];
  assert.equal(await collect(Readable.from(chunks).pipe(new Demuxer())), 'out1\nerr1\nout2\n');
});

test('byte limit cuts and ends', async () => {
  assert.equal(
    await collect(Readable.from([Buffer.from('hello '), Buffer.from('world')]).pipe(new ByteLimit(8))),
    'hello wo',
  );
});

test('engine events: ours are parsed, others ignored', () => {
  const ev = {
    Type: 'container',
    Action: 'die',
    Actor: { ID: 'abc', Attributes: { 'io.kubernetes.pod.uid': 'u1', exitCode: '3' } },
  };
  assert.deepEqual(toRuntimeEvent(JSON.stringify(ev)), { podUid: 'u1', containerId: 'abc', action: 'die' });
  assert.equal(toRuntimeEvent(JSON.stringify({ ...ev, Action: 'exec_start: sh' })), undefined);
  assert.equal(toRuntimeEvent(JSON.stringify({ ...ev, Actor: { ID: 'x', Attributes: {} } })), undefined);
  assert.equal(toRuntimeEvent('not json'), undefined);
});

test('state mapping follows dockershim (failed start = exited)', () => {
  const s = (o: object) => ({ Status: 'created', Running: false, ExitCode: 0, Error: '', ...o }) as never;
  assert.equal(runtimeState(s({})), 'created');
  assert.equal(runtimeState(s({ ExitCode: 127, Error: 'exec: not found' })), 'exited');
  assert.equal(runtimeState(s({ Status: 'running', Running: true })), 'running');
  assert.equal(runtimeState(s({ Status: 'exited', ExitCode: 3 })), 'exited');
  assert.equal(runtimeState(s({ Status: 'dead' })), 'exited');
  assert.equal(runtimeState(s({ Status: 'weird' })), 'unknown');
});

test('zero times are dropped; time keys order with nanosecond precision', () => {
  assert.equal(dockerTime('0001-01-01T00:00:00Z'), undefined);
  assert.equal(dockerTime('2024-01-01T00:00:00.5Z'), '2024-01-01T00:00:00.5Z');
  assert.ok(timeKey('2024-01-01T00:00:00.1Z') > timeKey('2024-01-01T00:00:00Z'));
  assert.ok(timeKey('2024-01-01T00:00:00.5Z') > timeKey('2024-01-01T00:00:00.123456789Z'));
});

test('gateway fallback is the first host of the subnet', () => {
  assert.equal(firstHost('10.244.0.0/16'), '10.244.0.1');
  assert.equal(firstHost('172.30.5.128/25'), '172.30.5.129');
});
