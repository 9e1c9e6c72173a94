'use strict';
const { test } = require('node:test');
const assert = require('node:assert');

const binding = require('../lib/native.js');
const pkg = require('../package.json');

test('native addon loads and reports the package version', () => {
  assert.strictEqual(binding.nativeVersion(), pkg.version);
});

test('a Rust panic surfaces as a JS exception with a code, and the process lives on', () => {
  assert.throws(() => binding.nativePanicForTest('boom'), (err) => {
    assert.ok(err instanceof Error);
    assert.strictEqual(err.code, 'ERR_FAST_ASYNC_HOOKS_PANIC');
    assert.match(err.message, /native panic: boom/);
    return true;
  });
  // The addon still works after the panic was caught.
  assert.strictEqual(binding.nativeVersion(), pkg.version);
});

test('native errors carry Node-style class and code', () => {
  assert.throws(() => binding.nativeErrorForTest('bad value'), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: 'bad value',
  });
});

test('every request-kit export is reachable from the package entry', () => {
  const entry = require('..');
  const kit = require('../lib/request');
  for (const name of Object.keys(kit)) assert.strictEqual(entry[name], kit[name], name);
});
