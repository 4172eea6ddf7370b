// The file source on a real directory (fake clock, no watch): each read applied as a
// SET, bad and duplicate files reported once on the Node, Secrets/ConfigMaps living and
// dying with their file, API-created objects left alone.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidPod } from '../../../src/apis/core/types.js';
import { admitObject } from '../../../src/apis/core/admit.js';
import { EventRecorder } from '../../../src/events/recorder.js';
import { ObjectStore } from '../../../src/sources/object-store.js';
import { StaticFileSource } from '../../../src/sources/static-source.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeClock } from '../../fakes/fake-clock.js';

const pod = (name: string, image = 'busybox') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: [{name: c, image: ${image}}]\n`;
const secret = (name: string, value: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}}\nstringData: {k: ${value}}\n`;

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'mkl-static-src-'));
  const dir = join(root, 'manifests');
  mkdirSync(dir);
  const clock = new FakeClock();
  let rv = 0;
  const events = new EventRecorder({ clock, nodeName: 'node-a', nextResourceVersion: () => String(++rv) });
  const objects = new ObjectStore(join(root, 'state'), new ResourceVersions(), () => assert.fail('unreadable'));
  const sets: ValidPod[][] = [];
  const source = new StaticFileSource({
    dir,
    nodeName: 'node-a',
    clock,
    log: silentLogger(),
    periodMs: 20_000,
    objects,
    podConfig: { setStaticPods: (p) => sets.push(p) },
    events,
    watch: () => ({ close() {} }),
  });
  const last = () => (sets.at(-1) ?? []).map((p) => p.metadata.name);
  return { root, dir, clock, events, objects, sets, source, last };
}

describe('StaticFileSource', () => {
  let s: ReturnType<typeof setup>;
  before(() => {
    s = setup();
  });
  after(() => {
    s.source.stop();
    rmSync(s.root, { recursive: true, force: true });
  });

  test('each read is a SET of the good files; ignored names never appear', () => {
    writeFileSync(join(s.dir, 'a.yaml'), pod('a'));
    writeFileSync(
      join(s.dir, 'b.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'b' },
        spec: { containers: [{ name: 'c', image: 'x' }] },
      }),
    );
    for (const ignored of [
      '.hidden.yaml',
      'a.yaml~',
      '.a.yaml.swp',
      'a.yaml.swp',
      '4913',
      '#a.yaml#',
      'a.yaml.tmp',
      'notes.txt',
    ])
      writeFileSync(join(s.dir, ignored), pod('ignored'));
    mkdirSync(join(s.dir, 'sub.yaml'));
    writeFileSync(join(s.dir, 'sub.yaml', 'c.yaml'), pod('deep'));
    s.source.start();
    assert.deepEqual(s.last(), ['a-node-a', 'b-node-a']);
    assert.deepEqual(
      s.events.list().filter((e) => e.involvedObject.kind === 'Node'),
      [],
    );
  });

  test('a bad file beside good ones: the good ones stay; one Warning on the Node names the file, not repeated by re-reads', () => {
    writeFileSync(
      join(s.dir, 'bad.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: [{name: x}]}\n',
    );
    s.source.scan();
    s.source.scan();
    assert.deepEqual(s.last(), ['a-node-a', 'b-node-a']);
    const warnings = s.events.list().filter((e) => e.involvedObject.kind === 'Node');
    assert.equal(warnings.length, 1);
    const ev = warnings[0]!;
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.reason, 'FailedStaticPodManifest');
    assert.deepEqual(ev.involvedObject, { apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: 'node-a' });
    assert.equal(ev.metadata.namespace, 'default');
    assert.match(ev.message, /bad\.yaml.*spec\.containers\[0\]\.image: Required value/);
    assert.equal(ev.count, 1);
  });

  test('a bad file made good is picked up; a good file made bad drops out of the SET (its pod is removed)', () => {
    writeFileSync(join(s.dir, 'bad.yaml'), pod('bad'));
    s.source.scan();
    assert.deepEqual(s.last(), ['a-node-a', 'b-node-a', 'bad-node-a']);
    writeFileSync(join(s.dir, 'bad.yaml'), 'kind: [');
    s.source.scan();
    assert.deepEqual(s.last(), ['a-node-a', 'b-node-a']);
    rmSync(join(s.dir, 'bad.yaml'));
  });

  test('two files declaring one pod: the first in name order wins, the other is reported', () => {
    writeFileSync(join(s.dir, 'z-copy.yaml'), pod('a', 'nginx'));
    s.source.scan();
    assert.deepEqual(s.last(), ['a-node-a', 'b-node-a']);
    assert.equal(s.sets.at(-1)![0]!.spec.containers[0]!.image, 'busybox');
    const ev = s.events.list().find((e) => e.message.includes('z-copy.yaml'));
    assert.match(ev?.message ?? '', /pod "default\/a-node-a" is already declared by .*a\.yaml/);
    rmSync(join(s.dir, 'z-copy.yaml'));
  });

  test('a Secret lives with its file: added, updated, removed; an API-created Secret is untouched', () => {
    s.objects.put(
      admitObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api', namespace: 'default' } }) as never,
      {
        replace: false,
      },
    );
    writeFileSync(join(s.dir, 's.yaml'), secret('creds', 'one'));
    s.source.scan();
    const first = s.objects.find('Secret', 'default', 'creds');
    assert.ok(first);
    s.source.scan();
    assert.equal(
      s.objects.find('Secret', 'default', 'creds')?.metadata.resourceVersion,
      first.metadata.resourceVersion,
      'an unchanged file is not rewritten',
    );
    writeFileSync(join(s.dir, 's.yaml'), secret('creds', 'two'));
    s.source.scan();
    const second = s.objects.find('Secret', 'default', 'creds');
    assert.notEqual(second?.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.equal(second?.metadata.uid, first.metadata.uid);
    rmSync(join(s.dir, 's.yaml'));
    s.source.scan();
    assert.equal(s.objects.find('Secret', 'default', 'creds'), undefined);
    assert.ok(s.objects.find('Secret', 'default', 'api'));
  });

  test('a missing directory is an empty SET (file.go listConfig), reported once', () => {
    const other = setup();
    rmSync(other.dir, { recursive: true });
    other.source.scan();
    assert.deepEqual(other.sets, [[]]);
    assert.equal(other.events.list().length, 1);
    rmSync(other.root, { recursive: true, force: true });
  });
});
