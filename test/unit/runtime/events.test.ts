// The event watch reconnects when the engine closes the stream, and stops on unsubscribe.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { watchEvents } from '../../../src/runtime/events.js';
import type { DockerClient, Filters } from '../../../src/runtime/docker-client.js';
import { createDockerClient } from '../../../src/runtime/docker-client.js';
import type { RuntimeEvent } from '../../../src/runtime/runtime.js';
import { waitFor } from '../../harness/wait.js';

const line = (id: string, action: string) =>
  `${JSON.stringify({ Type: 'container', Action: action, Actor: { ID: id, Attributes: { 'io.kubernetes.pod.uid': 'u' } } })}\n`;

test('reconnects after the stream ends and filters by agent', async () => {
  const streams: PassThrough[] = [];
  const filters: Filters[] = [];
  const docker = {
    events: async (f: Filters, signal: AbortSignal) => {
      filters.push(f);
      const s = new PassThrough();
      signal.addEventListener('abort', () => s.destroy());
      streams.push(s);
      return s;
    },
  } as unknown as DockerClient;
  const seen: RuntimeEvent[] = [];
  const stop = watchEvents(
    docker,
    'agent-7',
    (e) => seen.push(e),
    (e) => assert.fail(e),
  );
  await waitFor('the first connection', () => streams.length === 1, 5000, 5);
  // A line split across chunks still parses.
  const l = line('c1', 'start');
  streams[0]!.write(l.slice(0, 10));
  streams[0]!.write(l.slice(10));
  streams[0]!.end();
  await waitFor('the reconnection', () => streams.length === 2, 5000, 5);
  streams[1]!.write(line('c2', 'die'));
  await waitFor('the second event', () => seen.length === 2, 5000, 5);
  stop();
  await waitFor('stop to end the open stream', () => streams[1]!.destroyed, 5000, 5);
  // Deliberate window: "never reconnects" has no state to wait on (the watch loop's end is
  // internal). A reconnect would come RETRY_MIN_MS (200 ms) after the stream closed.
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(streams.length, 2);
  assert.deepEqual(
    seen.map((e) => `${e.containerId}:${e.action}`),
    ['c1:start', 'c2:die'],
  );
  assert.deepEqual(filters[0]!.label, ['io.minikubelet.agent=agent-7']);
  assert.deepEqual(filters[0]!.type, ['container']);
});

test('createDockerClient accepts unix and tcp addresses and rejects others', () => {
  assert.ok(createDockerClient('unix:///var/run/docker.sock'));
  assert.ok(createDockerClient('tcp://127.0.0.1:2375'));
  assert.ok(createDockerClient());
  assert.throws(() => createDockerClient('ssh://host'), /unsupported Docker host/);
});
