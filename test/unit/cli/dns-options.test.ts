// --resolv-conf and --cluster-domain: the kubelet's names and defaults.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { agentOptions } from '../../../src/cli/agent-options.js';
import { AGENT_FLAGS, parse } from '../../../src/cli/args.js';

const opts = (...argv: string[]) => agentOptions(parse(argv, AGENT_FLAGS));

describe('DNS flags', () => {
  test("defaults: the node's /etc/resolv.conf, cluster.local", () => {
    const o = opts();
    assert.equal(o.resolvConf, '/etc/resolv.conf');
    assert.equal(o.clusterDomain, 'cluster.local');
  });
  test('a relative --resolv-conf is made absolute; "" means none; --cluster-domain is taken as given', () => {
    assert.equal(opts('--resolv-conf', 'r.conf').resolvConf, resolve('r.conf'));
    assert.equal(opts('--resolv-conf=').resolvConf, '');
    assert.equal(opts('--cluster-domain', 'example.internal').clusterDomain, 'example.internal');
  });
  test('a --cluster-domain that is no DNS subdomain is refused, naming the flag', () => {
    assert.throws(
      () => opts('--cluster-domain', 'Bad_Domain'),
      /^Error: invalid value for --cluster-domain: "Bad_Domain" \(a DNS subdomain, e\.g\. cluster\.local\)$/,
    );
  });
});
