// kubectl's typed create commands POST protobuf (client-go's clientset prefers it for
// built-in kinds): the agent must decode them and store what a JSON body would give.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMap, Secret } from '../../src/apis/core/types.js';
import { NO_KUBECTL } from '../harness/kubectl.js';
import { describe, test } from '../harness/node-test.js';
import { kubectlAgent } from '../harness/kubectl-agent.js';

describe('kubectl create secret/configmap (protobuf bodies)', () => {
  const env = kubectlAgent({}, 'mkl-create-');

  test('create secret docker-registry stores the dockerconfigjson kubectl built', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const r = await env.kubectl([
      'create',
      'secret',
      'docker-registry',
      'myregistrykey',
      '--docker-server=registry.example:5000',
      '--docker-username=alice',
      '--docker-password=s3cret',
      '--docker-email=alice@example.com',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'secret/myregistrykey created');
    const s = (await env.agent.client.getObject('Secret', 'default', 'myregistrykey')) as Secret;
    assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(s.data!['.dockerconfigjson']!, 'base64').toString('utf8'));
    assert.deepEqual(config.auths['registry.example:5000'], {
      username: 'alice',
      password: 's3cret',
      email: 'alice@example.com',
      auth: Buffer.from('alice:s3cret').toString('base64'),
    });
    const again = await env.kubectl([
      'create',
      'secret',
      'docker-registry',
      'myregistrykey',
      '--docker-server=r',
      '--docker-username=u',
      '--docker-password=x',
    ]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /secrets "myregistrykey" already exists/);
  });

  test('create secret generic --from-literal and create configmap --from-file', async (t) => {
    if (!env.kubectl) return t.skip(NO_KUBECTL);
    const generic = await env.kubectl([
      'create',
      'secret',
      'generic',
      's',
      '--from-literal=k=v',
      '--from-literal=empty=',
    ]);
    assert.equal(generic.status, 0, generic.stderr);
    assert.equal(generic.stdout.trim(), 'secret/s created');
    const s = (await env.agent.client.getObject('Secret', 'default', 's')) as Secret;
    assert.equal(s.type, 'Opaque');
    assert.deepEqual(s.data, { k: Buffer.from('v').toString('base64'), empty: '' });

    const file = join(env.dir, 'app.properties');
    writeFileSync(file, 'color=blue\nsize=2\n');
    const cm = await env.kubectl(['create', 'configmap', 'c', `--from-file=${file}`, '-n', 'default']);
    assert.equal(cm.status, 0, cm.stderr);
    assert.equal(cm.stdout.trim(), 'configmap/c created');
    const c = (await env.agent.client.getObject('ConfigMap', 'default', 'c')) as ConfigMap;
    assert.deepEqual(c.data, { 'app.properties': 'color=blue\nsize=2\n' });
    const got = await env.kubectl(['get', 'configmap', 'c', '-o', 'jsonpath={.data.app\\.properties}']);
    assert.equal(got.stdout, 'color=blue\nsize=2\n');
  });
});
