// When the manifests directory is re-read: bursts coalesced, a periodic full read, a
// failed watch retried with back-off, a replaced directory watched again. Fake clock
// and an injected watch: nothing here waits on real time.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { DirWatcher, type WatchFn } from '../../../src/sources/dir-watch.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeClock } from '../../fakes/fake-clock.js';

function setup(opts: { failFirst?: number } = {}) {
  const clock = new FakeClock();
  let scans = 0;
  let fire: () => void = () => assert.fail('no watch');
  let breakWatch: (err: unknown) => void = () => assert.fail('no watch');
  let attempts = 0;
  let closed = 0;
  let ino: number | undefined = 1;
  const watch: WatchFn = (_dir, onChange, onError) => {
    attempts++;
    if (attempts <= (opts.failFirst ?? 0)) throw new Error('ENOENT: no such file or directory');
    fire = onChange;
    breakWatch = onError;
    return { close: () => closed++ };
  };
  const w = new DirWatcher({
    dir: '/m',
    clock,
    log: silentLogger(),
    periodMs: 20_000,
    quietMs: 150,
    maxDelayMs: 1_000,
    rescan: () => scans++,
    watch,
    identity: () => ino,
  });
  return {
    clock,
    w,
    scans: () => scans,
    attempts: () => attempts,
    closed: () => closed,
    fire: () => fire(),
    breakWatch: (e: unknown) => breakWatch(e),
    setIno: (n: number | undefined) => {
      ino = n;
    },
  };
}

describe('DirWatcher', () => {
  test('start reads at once; a burst of 200 events is one read after 150 ms of quiet', () => {
    const s = setup();
    s.w.start();
    assert.equal(s.scans(), 1);
    for (let i = 0; i < 200; i++) s.fire();
    s.clock.advance(149);
    assert.equal(s.scans(), 1);
    s.clock.advance(1);
    assert.equal(s.scans(), 2);
    s.w.stop();
  });

  test('events that never go quiet are still read 1 s after the first', () => {
    const s = setup();
    s.w.start();
    for (let t = 0; t < 1_000; t += 100) {
      s.fire();
      s.clock.advance(100);
    }
    assert.equal(s.scans(), 2);
    s.w.stop();
  });

  test('a full read every period, events or not; none after stop', () => {
    const s = setup();
    s.w.start();
    s.clock.advance(20_000);
    s.clock.advance(20_000);
    assert.equal(s.scans(), 3);
    s.w.stop();
    s.fire();
    s.clock.advance(60_000);
    assert.equal(s.scans(), 3);
    assert.equal(s.clock.pendingTimers(), 0);
  });

  test('a watch that cannot start is retried with back-off (1 s, 2 s, ...), and a read follows the retry', () => {
    const s = setup({ failFirst: 2 });
    s.w.start();
    assert.equal(s.w.watching, false);
    s.clock.advance(1_000);
    assert.equal(s.attempts(), 2);
    s.clock.advance(1_999);
    assert.equal(s.attempts(), 2);
    s.clock.advance(1);
    assert.equal(s.attempts(), 3);
    assert.equal(s.w.watching, true);
    s.clock.advance(150);
    assert.equal(s.scans(), 2, 'what changed while nothing watched is read');
    s.w.stop();
  });

  test('a watch that breaks is closed and set up again', () => {
    const s = setup();
    s.w.start();
    s.breakWatch(new Error('EMFILE'));
    assert.equal(s.closed(), 1);
    assert.equal(s.w.watching, false);
    s.clock.advance(1_000);
    assert.equal(s.w.watching, true);
    s.w.stop();
  });

  test('a directory replaced under the watch (new inode) is watched again at the periodic read', () => {
    const s = setup();
    s.w.start();
    s.setIno(2);
    s.clock.advance(20_000);
    assert.equal(s.closed(), 1);
    assert.equal(s.attempts(), 2);
    s.w.stop();
  });
});
