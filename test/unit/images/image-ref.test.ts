import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { defaultPullPolicy } from '../../../src/apis/core/defaults.js';
import { isValidImageRef, parseImageRef, withDefaultTag } from '../../../src/images/image-ref.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageRef', () => {
  const cases: [string, { registry: string; repository: string; tag?: string; digest?: string; normalized: string }][] =
    [
      ['busybox', { registry: 'docker.io', repository: 'library/busybox', normalized: 'docker.io/library/busybox' }],
      [
        'busybox:1.36',
        {
          registry: 'docker.io',
          repository: 'library/busybox',
          tag: '1.36',
          normalized: 'docker.io/library/busybox:1.36',
        },
      ],
      [
        'team/app:v1',
        { registry: 'docker.io', repository: 'team/app', tag: 'v1', normalized: 'docker.io/team/app:v1' },
      ],
      ['host:5000/repo', { registry: 'host:5000', repository: 'repo', normalized: 'host:5000/repo' }],
      ['localhost/app', { registry: 'localhost', repository: 'app', normalized: 'localhost/app' }],
      [
        'index.docker.io/nginx',
        { registry: 'docker.io', repository: 'library/nginx', normalized: 'docker.io/library/nginx' },
      ],
      ['ghcr.io/a/b/c:1.0', { registry: 'ghcr.io', repository: 'a/b/c', tag: '1.0', normalized: 'ghcr.io/a/b/c:1.0' }],
      [
        `repo@${DIGEST}`,
        {
          registry: 'docker.io',
          repository: 'library/repo',
          digest: DIGEST,
          normalized: `docker.io/library/repo@${DIGEST}`,
        },
      ],
      [
        `r.io/x:1@${DIGEST}`,
        { registry: 'r.io', repository: 'x', tag: '1', digest: DIGEST, normalized: `r.io/x:1@${DIGEST}` },
      ],
    ];
  for (const [ref, want] of cases) {
    test(ref.length > 40 ? `${ref.slice(0, 40)}…` : ref, () => assert.deepEqual(parseImageRef(ref), want));
  }

  const invalid = [
    '',
    'Busybox',
    'busybox:',
    'busybox:-x',
    'a//b',
    'repo@sha256:abc',
    ' busybox',
    'a'.repeat(64),
    `x:${'t'.repeat(129)}`,
  ];
  for (const ref of invalid) {
    test(`invalid: ${JSON.stringify(ref.slice(0, 30))}`, () => {
      assert.equal(isValidImageRef(ref), false);
      assert.throws(() => parseImageRef(ref), /couldn't parse image name/);
    });
  }
});

describe('defaultPullPolicy (pkg/apis/core/v1/defaults.go SetDefaults_Container) and withDefaultTag', () => {
  const cases: [string, 'Always' | 'IfNotPresent', string][] = [
    ['busybox', 'Always', 'busybox:latest'],
    ['busybox:latest', 'Always', 'busybox:latest'],
    ['busybox:1.36', 'IfNotPresent', 'busybox:1.36'],
    [`busybox@${DIGEST}`, 'IfNotPresent', `busybox@${DIGEST}`],
    [`busybox:1.36@${DIGEST}`, 'IfNotPresent', `busybox:1.36@${DIGEST}`],
    ['host:5000/repo', 'Always', 'host:5000/repo:latest'],
    ['host:5000/repo:2', 'IfNotPresent', 'host:5000/repo:2'],
    ['NOT VALID', 'IfNotPresent', 'NOT VALID'],
  ];
  for (const [image, policy, pulled] of cases) {
    test(image.slice(0, 30), () => {
      assert.equal(defaultPullPolicy(image), policy);
      assert.equal(withDefaultTag(image), pulled);
    });
  }
});
