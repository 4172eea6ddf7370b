// Strategic merge, JSON merge and JSON patch: cases from the API server's own tests
// (staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go) and from
// the strategic-merge-patch design doc, plus the patches kubectl 1.32 was seen sending.
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { strategicMergePatch, type JsonMap } from '../../../../src/apis/core/patch/strategic-merge.js';
import { POD_PATCH_META } from '../../../../src/apis/core/patch/patch-meta.js';
import { jsonMergePatch, jsonPatch } from '../../../../src/apis/core/patch/json-patch.js';
import { KubeletError } from '../../../../src/util/errors.js';

const spec = (s: JsonMap): JsonMap => ({ spec: s });
const smp = (original: JsonMap, patch: unknown) => strategicMergePatch(original, patch, POD_PATCH_META);

const CASES: { name: string; original: JsonMap; patch: JsonMap; want: JsonMap }[] = [
  {
    name: 'null deletes a key; other keys merge',
    original: { metadata: { labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { a: null, c: '3' } } },
    want: { metadata: { labels: { b: '2', c: '3' } } },
  },
  {
    name: 'containers merge by name: a changed image, the other container untouched',
    original: spec({
      containers: [
        { name: 'a', image: 'x:1' },
        { name: 'b', image: 'y:1' },
      ],
    }),
    patch: spec({ containers: [{ name: 'b', image: 'y:2' }] }),
    want: spec({
      containers: [
        { name: 'a', image: 'x:1' },
        { name: 'b', image: 'y:2' },
      ],
    }),
  },
  {
    name: 'a new merge-keyed element is appended',
    original: spec({ containers: [{ name: 'a', image: 'x' }] }),
    patch: spec({ containers: [{ name: 'c', image: 'z' }] }),
    want: spec({
      containers: [
        { name: 'a', image: 'x' },
        { name: 'c', image: 'z' },
      ],
    }),
  },
  {
    name: '$patch: delete removes the element with that key',
    original: spec({ containers: [{ name: 'app' }, { name: 'side' }] }),
    patch: spec({ containers: [{ name: 'side', $patch: 'delete' }] }),
    want: spec({ containers: [{ name: 'app' }] }),
  },
  {
    name: '$patch: replace in a list replaces the list by the other elements',
    original: spec({
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'b', emptyDir: {} },
      ],
    }),
    patch: spec({ volumes: [{ name: 'c', emptyDir: {} }, { $patch: 'replace' }] }),
    want: spec({ volumes: [{ name: 'c', emptyDir: {} }] }),
  },
  {
    name: '$patch: replace in a map replaces the map',
    original: { metadata: { labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { c: '3', $patch: 'replace' } } },
    want: { metadata: { labels: { c: '3' } } },
  },
  {
    name: '$patch: delete in a map empties it',
    original: { metadata: { labels: { a: '1' } } },
    patch: { metadata: { labels: { $patch: 'delete' } } },
    want: { metadata: { labels: {} } },
  },
  {
    name: 'lists without a merge key (command, args, tolerations) are replaced whole',
    original: spec({ containers: [{ name: 'a', args: ['1', '2'] }], tolerations: [{ key: 'k' }] }),
    patch: spec({ containers: [{ name: 'a', args: ['3'] }], tolerations: [{ key: 'j' }] }),
    want: spec({ containers: [{ name: 'a', args: ['3'] }], tolerations: [{ key: 'j' }] }),
  },
  {
    name: 'nested lists merge by their own keys: env by name, ports by containerPort, volumeMounts by mountPath',
    original: spec({
      containers: [
        {
          name: 'a',
          env: [{ name: 'A', value: '1' }],
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          volumeMounts: [{ name: 'v', mountPath: '/v' }],
        },
      ],
    }),
    patch: spec({
      containers: [
        {
          name: 'a',
          env: [
            { name: 'A', value: '2' },
            { name: 'B', value: '3' },
          ],
          ports: [{ containerPort: 80, name: 'http' }],
          volumeMounts: [{ mountPath: '/v', readOnly: true }],
        },
      ],
    }),
    want: spec({
      containers: [
        {
          name: 'a',
          env: [
            { name: 'A', value: '2' },
            { name: 'B', value: '3' },
          ],
          ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
          volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true }],
        },
      ],
    }),
  },
  {
    name: "kubectl apply's patch: $setElementOrder, a deleted port and container, a null label map",
    original: {
      metadata: { labels: { x: 'y' } },
      spec: {
        containers: [
          { name: 'side', image: 'b' },
          { name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 8080 }] },
        ],
      },
    },
    patch: {
      metadata: { labels: null },
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }],
        containers: [
          {
            '$setElementOrder/ports': [{ containerPort: 8080 }],
            env: [{ name: 'A', value: '1' }],
            image: 'nginx:1.28',
            name: 'app',
            ports: [{ containerPort: 8080 }, { $patch: 'delete', containerPort: 80 }],
          },
          { $patch: 'delete', name: 'side' },
        ],
      },
    },
    want: {
      metadata: {},
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1.28', ports: [{ containerPort: 8080 }], env: [{ name: 'A', value: '1' }] },
        ],
      },
    },
  },
  {
    name: '$setElementOrder reorders the named elements; server-only elements keep their place',
    original: spec({ containers: [{ name: 'a' }, { name: 's' }, { name: 'b' }] }),
    patch: spec({
      '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'c' }],
      containers: [{ name: 'c' }],
    }),
    want: spec({ containers: [{ name: 'b' }, { name: 's' }, { name: 'a' }, { name: 'c' }] }),
  },
  {
    name: 'finalizers are a set: union in order; $deleteFromPrimitiveList removes',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'c'], '$deleteFromPrimitiveList/finalizers': ['a'] } },
    want: { metadata: { finalizers: ['b', 'c'] } },
  },
  {
    name: 'volumes: $retainKeys drops the keys it does not name (changing the volume source)',
    original: spec({ volumes: [{ name: 'v', hostPath: { path: '/x' } }] }),
    patch: spec({ volumes: [{ name: 'v', emptyDir: {}, $retainKeys: ['emptyDir', 'name'] }] }),
    want: spec({ volumes: [{ name: 'v', emptyDir: {} }] }),
  },
  {
    name: 'directives in a new element are not stored',
    original: spec({}),
    patch: spec({
      containers: [{ name: 'a', '$setElementOrder/env': [{ name: 'E' }], env: [{ name: 'E', value: '1' }] }],
    }),
    want: spec({ containers: [{ name: 'a', env: [{ name: 'E', value: '1' }] }] }),
  },
  {
    name: 'status conditions merge by type',
    original: {
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'X', status: 'True' },
        ],
      },
    },
    patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    want: {
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'X', status: 'True' },
        ],
      },
    },
  },
];

for (const c of CASES) {
  test(`strategic merge: ${c.name}`, () => {
    const before = structuredClone(c.original);
    assert.deepEqual(smp(c.original, c.patch), c.want);
    assert.deepEqual(c.original, before, 'the original is not modified');
  });
}

test('strategic merge: malformed patches are BadRequest', () => {
  const bad: [unknown, RegExp][] = [
    [[1], /must be a JSON object/],
    [spec({ containers: [{ image: 'x' }] }), /does not contain declared merge key: name/],
    [spec({ containers: [{ $patch: 'delete' }] }), /does not contain declared merge key: name/],
    [{ metadata: { $patch: 'bogus' } }, /Unknown patch type/],
    [spec({ containers: [{ name: 'a', $patch: 'merge' }] }), /merging lists cannot yet be specified/],
  ];
  for (const [patch, message] of bad) {
    assert.throws(
      () => smp(spec({ containers: [{ name: 'a' }] }), patch),
      (e: unknown) => e instanceof KubeletError && e.code === 'BadRequest' && message.test(e.message),
    );
  }
});

test('JSON merge patch (RFC 7386 appendix A examples)', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) assert.deepEqual(jsonMergePatch(target, patch), want);
});

test('JSON patch (RFC 6902): operations apply in order; a failing one is 422, a malformed one 400', () => {
  const pod = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'a', image: 'x' }] } };
  assert.deepEqual(
    jsonPatch(pod, [
      { op: 'replace', path: '/spec/containers/0/image', value: 'y' },
      { op: 'add', path: '/metadata/labels/b', value: '2' },
      { op: 'remove', path: '/metadata/labels/a' },
    ]),
    { metadata: { labels: { b: '2' } }, spec: { containers: [{ name: 'a', image: 'y' }] } },
  );
  assert.equal(pod.spec.containers[0]!.image, 'x', 'the target is not modified');
  const code = (ops: unknown) => {
    try {
      jsonPatch(pod, ops);
      return 'applied';
    } catch (e) {
      return e instanceof KubeletError ? e.code : 'other';
    }
  };
  assert.equal(code([{ op: 'test', path: '/spec/containers/0/image', value: 'nope' }]), 'Invalid');
  assert.equal(code([{ op: 'remove', path: '/metadata/nope' }]), 'Invalid');
  assert.equal(code([{ op: 'frobnicate', path: '/a' }]), 'BadRequest');
  assert.equal(code({ op: 'add' }), 'BadRequest');
});
