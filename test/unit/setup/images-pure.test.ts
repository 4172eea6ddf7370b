import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHash, findImagesDir } from '../../../src/setup/images.js';
import { isStaticElf } from '../../../src/setup/elf.js';

test('build hash is stable and sensitive to part boundaries', () => {
  assert.equal(buildHash('a', Buffer.from('b')), buildHash('a', 'b'));
  assert.notEqual(buildHash('ab', 'c'), buildHash('a', 'bc'));
  assert.notEqual(buildHash('a'), buildHash('a', ''));
  assert.match(buildHash('x'), /^sha256:[0-9a-f]{64}$/);
});

test('finds the images directory from the compiled module', () => {
  const d = findImagesDir();
  assert.ok(existsSync(join(d, 'pause', 'pause.c')));
  assert.ok(existsSync(join(d, 'busybox', 'Dockerfile')));
});

test('tells static from dynamic ELF executables', () => {
  assert.equal(isStaticElf(readFileSync(process.execPath)), false); // node is dynamic
  assert.equal(isStaticElf(Buffer.from('#!/bin/sh\necho hi\n'.padEnd(100))), undefined);
  if (existsSync('/bin/busybox') && readFileSync('/bin/busybox').length > 1_000_000) {
    assert.equal(isStaticElf(readFileSync('/bin/busybox')), true);
  }
});
