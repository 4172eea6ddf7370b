// In-band pull errors: the engine answers 200 and reports the failure inside the stream.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pullImage } from '../../../src/runtime/image.js';
import type { DockerClient } from '../../../src/runtime/docker-client.js';
import type { PullProgress } from '../../../src/runtime/runtime.js';

function fakeDocker(lines: object[], calls: unknown[][]): DockerClient {
  return {
    pullStream: async (...args: unknown[]) => {
      calls.push(args);
      return Readable.from(lines.map((l) => `${JSON.stringify(l)}\n`));
    },
    followProgress: (s: Readable, done: (e: Error | null) => void, each: (e: unknown) => void) => {
      let buf = '';
      s.on('data', (c) => {
        buf += c;
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          each(JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
        }
      });
      s.on('end', () => done(null));
    },
  } as unknown as DockerClient;
}

test('progress is reported and the tag is always passed', async () => {
  const calls: unknown[][] = [];
  const seen: PullProgress[] = [];
  await pullImage(
    fakeDocker(
      [
        { status: 'Pulling fs layer', id: 'abc' },
        { status: 'Downloading', id: 'abc', progressDetail: { current: 5, total: 10 } },
      ],
      calls,
    ),
    'reg:5000/app',
    (p) => seen.push(p),
  );
  assert.deepEqual(calls[0]!.slice(0, 2), ['reg:5000/app', 'latest']);
  assert.deepEqual(seen[1], { status: 'Downloading', id: 'abc', current: 5, total: 10 });
  await pullImage(fakeDocker([], calls), 'app@sha256:abcd');
  assert.deepEqual(calls[1]!.slice(0, 2), ['app', 'sha256:abcd']);
});

test('an error inside the stream fails the pull with the registry message', async () => {
  await assert.rejects(
    pullImage(
      fakeDocker(
        [{ status: 'Pulling' }, { error: 'x', errorDetail: { message: 'unauthorized: authentication required' } }],
        [],
      ),
      'a:1',
    ),
    /^Error: unauthorized: authentication required$/,
  );
});
