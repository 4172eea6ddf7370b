// The authorization table: request attributes as kube-apiserver's RequestInfoFactory
// derives them, and what a ServiceAccount token may do (read-only, its own namespace),
// with the API server's Forbidden messages.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { ADMIN, authorize, requestAttributes, type Principal } from '../../../src/server/authz.js';

const sa: Principal = {
  username: 'system:serviceaccount:default:default',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
  serviceAccountNamespace: 'default',
};
const U = '"system:serviceaccount:default:default"';

function decide(who: Principal, method: string, url: string) {
  const u = new URL(url, 'https://x');
  return authorize(who, requestAttributes(method, u.pathname, u.searchParams));
}

describe('requestAttributes', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['GET', '/api/v1/namespaces/default/pods', { verb: 'list', namespace: 'default', resource: 'pods', name: '' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods/web', { verb: 'get', resource: 'pods', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', { verb: 'get', subresource: 'log', name: 'web' }],
    ['POST', '/api/v1/namespaces/default/pods/web/exec', { verb: 'create', subresource: 'exec' }],
    ['GET', '/api/v1/namespaces/default/pods/web/exec', { verb: 'create', subresource: 'exec' }],
    ['DELETE', '/api/v1/namespaces/default/pods', { verb: 'deletecollection' }],
    ['PATCH', '/api/v1/namespaces/default/pods/web', { verb: 'patch' }],
    ['PUT', '/api/v1/namespaces/default/configmaps/c', { verb: 'update', resource: 'configmaps' }],
    [
      'GET',
      '/api/v1/namespaces/kube-system',
      { resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' },
    ],
    ['GET', '/api/v1/namespaces/x/status', { resource: 'namespaces', name: 'x', subresource: 'status' }],
    ['GET', '/api/v1/pods', { verb: 'list', namespace: '', resource: 'pods' }],
    ['GET', '/api/v1/nodes/n1', { verb: 'get', resource: 'nodes', name: 'n1' }],
    ['GET', '/version', { isResourceRequest: false, verb: 'get', path: '/version' }],
    ['GET', '/apis/metrics.k8s.io/v1beta1', { isResourceRequest: false }],
    [
      'GET',
      '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods',
      { isResourceRequest: true, apiGroup: 'metrics.k8s.io', namespace: 'default', resource: 'pods', verb: 'list' },
    ],
    [
      'GET',
      '/apis/storage.k8s.io/v1/storageclasses/standard',
      { apiGroup: 'storage.k8s.io', resource: 'storageclasses', name: 'standard', verb: 'get' },
    ],
  ];
  for (const [method, url, want] of cases) {
    test(`${method} ${url}`, () => {
      const u = new URL(url, 'https://x');
      const got = requestAttributes(method, u.pathname, u.searchParams) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, k);
    });
  }
});

describe('authorize: a ServiceAccount token', () => {
  const allowed: [string, string][] = [
    ['GET', '/api/v1/namespaces/default/pods'],
    ['GET', '/api/v1/namespaces/default/pods?watch=1'],
    ['GET', '/api/v1/namespaces/default/pods/web'],
    ['GET', '/api/v1/namespaces/default/pods/web/log'],
    ['GET', '/api/v1/namespaces/default/events'],
    ['GET', '/api/v1/namespaces/default/configmaps/kube-root-ca.crt'],
    ['GET', '/api/v1/namespaces/default/serviceaccounts'],
    ['GET', '/api'],
    ['GET', '/api/v1'],
    ['GET', '/apis'],
    ['GET', '/apis/storage.k8s.io'],
    ['GET', '/apis/metrics.k8s.io/v1beta1'],
    ['GET', '/version'],
    ['GET', '/openapi/v3/api/v1'],
  ];
  for (const [method, url] of allowed)
    test(`may ${method} ${url}`, () => assert.deepEqual(decide(sa, method, url), { allowed: true }));

  const denied: [string, string, string][] = [
    [
      'GET',
      '/apis/metrics.k8s.io/v1beta1/pods',
      `pods.metrics.k8s.io is forbidden: User ${U} cannot list resource "pods" in API group "metrics.k8s.io" at the cluster scope`,
    ],
    [
      'GET',
      '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods',
      `pods.metrics.k8s.io is forbidden: User ${U} cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "default"`,
    ],
    [
      'GET',
      '/apis/storage.k8s.io/v1/storageclasses',
      `storageclasses.storage.k8s.io is forbidden: User ${U} cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope`,
    ],
    ['GET', '/stats/summary', `forbidden: User ${U} cannot get path "/stats/summary"`],
    ['GET', '/containerLogs/other/web/app', `forbidden: User ${U} cannot get path "/containerLogs/other/web/app"`],
    [
      'POST',
      '/api/v1/namespaces/default/pods',
      `pods is forbidden: User ${U} cannot create resource "pods" in API group "" in the namespace "default"`,
    ],
    [
      'DELETE',
      '/api/v1/namespaces/default/pods/x',
      `pods "x" is forbidden: User ${U} cannot delete resource "pods" in API group "" in the namespace "default"`,
    ],
    [
      'GET',
      '/api/v1/namespaces/other/pods',
      `pods is forbidden: User ${U} cannot list resource "pods" in API group "" in the namespace "other"`,
    ],
    [
      'GET',
      '/api/v1/pods',
      `pods is forbidden: User ${U} cannot list resource "pods" in API group "" at the cluster scope`,
    ],
    [
      'GET',
      '/api/v1/namespaces/default/secrets',
      `secrets is forbidden: User ${U} cannot list resource "secrets" in API group "" in the namespace "default"`,
    ],
    [
      'POST',
      '/api/v1/namespaces/default/pods/web/exec',
      `pods "web" is forbidden: User ${U} cannot create resource "pods/exec" in API group "" in the namespace "default"`,
    ],
    [
      'GET',
      '/api/v1/namespaces/default/pods/web/portforward',
      `pods "web" is forbidden: User ${U} cannot create resource "pods/portforward" in API group "" in the namespace "default"`,
    ],
    [
      'GET',
      '/api/v1/nodes',
      `nodes is forbidden: User ${U} cannot list resource "nodes" in API group "" at the cluster scope`,
    ],
    [
      'GET',
      '/api/v1/namespaces/default',
      `namespaces "default" is forbidden: User ${U} cannot get resource "namespaces" in API group "" in the namespace "default"`,
    ],
    [
      'PATCH',
      '/api/v1/namespaces/default/configmaps/c',
      `configmaps "c" is forbidden: User ${U} cannot patch resource "configmaps" in API group "" in the namespace "default"`,
    ],
    ['GET', '/metrics', `forbidden: User ${U} cannot get path "/metrics"`],
    ['GET', '/minikubelet/v1/pulls', `forbidden: User ${U} cannot get path "/minikubelet/v1/pulls"`],
    ['GET', '/x&y', `forbidden: User ${U} cannot get path "/x&amp;y"`],
  ];
  for (const [method, url, message] of denied) {
    test(`may not ${method} ${url}`, () => {
      const d = decide(sa, method, url);
      assert.equal(d.allowed, false);
      assert.equal(d.allowed ? '' : d.message, message);
    });
  }
});

test('the admin token may do anything', () => {
  for (const [m, u] of [
    ['POST', '/api/v1/namespaces/default/pods'],
    ['GET', '/api/v1/namespaces/x/secrets'],
    ['GET', '/metrics'],
  ] as const)
    assert.deepEqual(decide(ADMIN, m, u), { allowed: true });
});
