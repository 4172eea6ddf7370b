import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { DESCRIBE_TABWRITER, GET_TABWRITER, tabify } from '../../../src/printers/tabwriter.js';

test('kubectl get alignment: padding 3, min width 6, last cell unpadded', () => {
  const out = tabify('NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nweb\t1/1\tRunning\t0\t5s\n', GET_TABWRITER);
  assert.equal(out, 'NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          5s\n');
  assert.equal(tabify('A\tB\nx\ty\n', GET_TABWRITER), 'A     B\nx     y\n');
});

test('describe alignment: blocks end at lines without a tab', () => {
  const out = tabify('Name:\tweb\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nContainers:\n', DESCRIBE_TABWRITER);
  assert.equal(out, 'Name:       web\nNamespace:  default\nIPs:\n  IP:  10.0.0.1\nContainers:\n');
});
