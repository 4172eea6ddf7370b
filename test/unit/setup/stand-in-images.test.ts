// The seeds' manifests name only images that `setup` builds, and each stand-in's context
// carries its files with the right modes.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeManifests } from '../../../src/apis/core/decode.js';
import type { Pod } from '../../../src/apis/core/types.js';
import { LOCAL_BUSYBOX_IMAGE } from '../../../src/options.js';
import { STAND_INS, standInContext } from '../../../src/setup/stand-in-images.js';

const repo = new URL('../../../../', import.meta.url);

test('every image a manifest in manifests/ names is built by setup', () => {
  const built = new Set([LOCAL_BUSYBOX_IMAGE, ...STAND_INS.flatMap((s) => [s.image, ...(s.alsoTagged ?? [])])]);
  const dir = new URL('manifests/', repo);
  let checked = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    for (const d of decodeManifests(readFileSync(new URL(f, dir), 'utf8'))) {
      const obj = d.object as Pod;
      if (obj.kind !== 'Pod') continue;
      const spec = obj.spec;
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        const image = c.image ?? '';
        assert.ok(built.has(image), `${f}: ${c.name} names ${c.image}, which setup does not build`);
        assert.doesNotMatch(image, /:latest$|^[^:]+$/, `${f}: ${c.image} would default to imagePullPolicy Always`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 10, `only ${checked} containers checked`);
});

test('a stand-in context holds its Dockerfile, its files and the executable bash wrapper', async () => {
  const standIns = fileURLToPath(new URL('images/stand-ins/', repo));
  const entries = await standInContext(standIns, 'hello-app');
  const byName = new Map(entries.map((e) => [e.name, e]));
  assert.deepEqual([...byName.keys()], ['Dockerfile', 'bash', 'hello-app']);
  const mode = (n: string) => (byName.get(n) as { mode?: number }).mode;
  assert.equal(mode('bash'), 0o755);
  assert.equal(mode('hello-app'), 0o755);
  assert.equal(mode('Dockerfile'), 0o644);
  for (const s of STAND_INS) {
    const df = String((await standInContext(standIns, s.dir)).find((e) => e.name === 'Dockerfile')!.type);
    assert.equal(df, 'file');
  }
});
