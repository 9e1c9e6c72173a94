'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');

const binding = require('../lib/native.js');
const pkg = require('../package.json');

// The FFI error path is driven through functions that only the test build
// has (`npm run build:test-hooks`, cargo feature test-hooks; npm test runs
// it before the JS suite). The published binary must not carry them.
const TEST_BUILD = path.join(__dirname, '..', 'target', 'test-hooks', `${pkg.napi.binaryName}.node`);
function testBuild() {
  assert.ok(fs.existsSync(TEST_BUILD), `${TEST_BUILD} missing: run npm run build:test-hooks`);
  return require(TEST_BUILD);
}

test('native addon loads and reports the package version', () => {
  assert.strictEqual(binding.nativeVersion(), pkg.version);
});

test('the release binary exports no test-only functions', () => {
  const testOnly = Object.keys(testBuild()).filter((name) => !(name in binding));
  assert.deepStrictEqual(testOnly.sort(), ['nativeErrorForTest', 'nativePanicForTest']);
  for (const name of Object.keys(binding)) assert.doesNotMatch(name, /ForTest$/);
});

test('a Rust panic surfaces as a JS exception with a code, and the process lives on', () => {
  const hooks = testBuild();
  assert.throws(() => hooks.nativePanicForTest('boom'), (err) => {
    assert.ok(err instanceof Error);
    assert.strictEqual(err.code, 'ERR_FAST_ASYNC_HOOKS_PANIC');
    assert.match(err.message, /native panic: boom/);
    return true;
  });
  // The addon still works after the panic was caught.
  assert.strictEqual(hooks.nativeVersion(), pkg.version);
});

test('native errors carry Node-style class and code', () => {
  assert.throws(() => testBuild().nativeErrorForTest('bad value'), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: 'bad value',
  });
});

test('every request-kit export is reachable from the package entry', () => {
  const entry = require('..');
  const kit = require('../lib/request');
  for (const name of Object.keys(kit)) assert.strictEqual(entry[name], kit[name], name);
});
