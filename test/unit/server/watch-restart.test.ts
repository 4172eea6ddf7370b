// After a restart the watch history starts empty: a watch from an older version is
// 410 Expired, never a silent gap (issue #13).
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { ResourceVersionExpired, WatchHub } from '../../../src/server/watch-hub.js';

describe('watch history after a restart', () => {
  test('a watch from a version before the hub started is 410 Expired; from its start it replays later changes', () => {
    let publish: (e: { type: 'ADDED'; object: { metadata: { name: string; resourceVersion: string } } }) => void =
      () => {};
    const hub = new WatchHub<{ metadata: { name: string; resourceVersion: string } }>(
      (l) => {
        publish = l;
        return () => {};
      },
      1000,
      5000,
    );
    publish({ type: 'ADDED', object: { metadata: { name: 'p', resourceVersion: '5001' } } });
    assert.throws(
      () => hub.subscribe(() => {}, 4000),
      (e: unknown) => e instanceof ResourceVersionExpired && /too old resource version: 4000/.test(e.message),
    );
    assert.deepEqual(
      hub.subscribe(() => {}, 5000).replay.map((e) => e.object.metadata.resourceVersion),
      ['5001'],
    );
    hub.close();
  });
});
