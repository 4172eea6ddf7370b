import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import {
  DEFAULT_SOCKET,
  isDefaultLocalSocket,
  parseDockerHost,
  resolveDockerHost,
} from '../../../src/util/docker-host.js';
import { createDockerClient, dockerodeOptions } from '../../../src/runtime/docker-client.js';

test('parses unix addresses', () => {
  assert.deepEqual(parseDockerHost('unix:///var/run/docker.sock'), {
    kind: 'unix',
    socketPath: '/var/run/docker.sock',
    dockerHost: 'unix:///var/run/docker.sock',
  });
  assert.deepEqual(parseDockerHost('/tmp/d.sock'), {
    kind: 'unix',
    socketPath: '/tmp/d.sock',
    dockerHost: 'unix:///tmp/d.sock',
  });
  assert.throws(() => parseDockerHost('unix://relative.sock'), /absolute/);
});

test('parses tcp addresses with default ports', () => {
  const saved = process.env.DOCKER_TLS_VERIFY;
  delete process.env.DOCKER_TLS_VERIFY;
  try {
    assert.deepEqual(parseDockerHost('tcp://127.0.0.1:2375'), {
      kind: 'tcp',
      protocol: 'http',
      host: '127.0.0.1',
      port: 2375,
      dockerHost: 'tcp://127.0.0.1:2375',
    });
    assert.equal((parseDockerHost('tcp://docker') as { port: number }).port, 2375);
    assert.equal((parseDockerHost('tcp://docker:1234/') as { port: number }).port, 1234);
    assert.deepEqual(parseDockerHost('tcp://[::1]:2375'), {
      kind: 'tcp',
      protocol: 'http',
      host: '::1',
      port: 2375,
      dockerHost: 'tcp://[::1]:2375',
    });
    const s = parseDockerHost('https://h:2376');
    assert.equal(s.kind === 'tcp' && s.protocol, 'https');
    assert.equal(s.dockerHost, 'https://h:2376');
    process.env.DOCKER_TLS_VERIFY = '1';
    const t = parseDockerHost('tcp://h');
    assert.equal(t.kind === 'tcp' && t.protocol, 'https');
    assert.equal(t.kind === 'tcp' && t.port, 2376);
  } finally {
    if (saved === undefined) delete process.env.DOCKER_TLS_VERIFY;
    else process.env.DOCKER_TLS_VERIFY = saved;
  }
});

test('rejects what it cannot use', () => {
  assert.throws(() => parseDockerHost('npipe:////./pipe/docker_engine'), /unsupported/);
  assert.throws(() => parseDockerHost('docker.sock'), /invalid/);
  assert.throws(() => parseDockerHost('tcp://h:99999'), /port/);
  assert.throws(() => parseDockerHost('ssh://user@h'), /unsupported/);
});

test('explicit address beats DOCKER_HOST beats the default socket', () => {
  assert.equal(resolveDockerHost('tcp://a:1', { DOCKER_HOST: 'tcp://b:2' }).dockerHost, 'tcp://a:1');
  assert.equal(resolveDockerHost(undefined, { DOCKER_HOST: 'tcp://b:2' }).dockerHost, 'tcp://b:2');
  assert.equal(resolveDockerHost('', { DOCKER_HOST: '' }).dockerHost, `unix://${DEFAULT_SOCKET}`);
  assert.equal(resolveDockerHost(undefined, {}).dockerHost, `unix://${DEFAULT_SOCKET}`);
});

test('only the default local socket may be started', () => {
  assert.equal(isDefaultLocalSocket(parseDockerHost('unix:///var/run/docker.sock')), true);
  assert.equal(isDefaultLocalSocket(parseDockerHost('unix:///var/run//docker.sock')), true);
  assert.equal(isDefaultLocalSocket(parseDockerHost('unix:///tmp/docker.sock')), false);
  assert.equal(isDefaultLocalSocket(parseDockerHost('tcp://127.0.0.1:2375')), false);
});

test('dockerode options carry no API version', () => {
  assert.deepEqual(dockerodeOptions(parseDockerHost('unix:///x.sock')), { socketPath: '/x.sock' });
  assert.deepEqual(dockerodeOptions(parseDockerHost('http://h:1')), { protocol: 'http', host: 'h', port: 1 });
});

test('the agent client accepts exactly the addresses setup accepts', () => {
  const env = { DOCKER_HOST: undefined };
  for (const good of [
    'unix:///var/run/docker.sock',
    '/tmp/d.sock',
    'tcp://127.0.0.1:2375',
    'tcp://[::1]',
    'http://h:1',
  ]) {
    assert.ok(parseDockerHost(good, env), good);
    assert.ok(createDockerClient(good), good);
  }
  for (const bad of ['npipe:////./pipe/docker_engine', 'ssh://user@h', 'docker.sock', 'unix://relative.sock']) {
    assert.throws(() => parseDockerHost(bad, env), Error, bad);
    assert.throws(() => createDockerClient(bad), Error, bad);
  }
});

test('DOCKER_TLS_VERIFY comes from the env given', () => {
  assert.equal(parseDockerHost('tcp://h', { DOCKER_TLS_VERIFY: '1' }).dockerHost, 'tcp://h:2376');
  assert.equal(parseDockerHost('tcp://h', { DOCKER_TLS_VERIFY: '0' }).dockerHost, 'tcp://h:2375');
});
