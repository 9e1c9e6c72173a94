'use strict';
// Which async_hooks implementation a conformance child process exercises.
// IMPL=builtin -> node:async_hooks, IMPL=ours -> the package entry,
// IMPL=register -> node:async_hooks after fast-async-hooks/register,
// IMPL=fixture:<name> -> __test__/conformance/fixtures/<name>.js (used by the
// self-test to prove the harness notices a broken implementation).

const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

function resolveImpl(name) {
  if (name === 'builtin') return 'node:async_hooks';
  if (name === 'ours') return path.join(ROOT, 'index.js');
  // The process-wide swap: node:async_hooks itself, after register.js ran.
  if (name === 'register') return path.join(__dirname, 'fixtures', 'via-register.js');
  if (typeof name === 'string' && name.startsWith('fixture:')) {
    const fixture = name.slice('fixture:'.length);
    if (!/^[\w-]+$/.test(fixture)) throw new Error(`bad fixture name ${fixture}`);
    return path.join(__dirname, 'fixtures', `${fixture}.js`);
  }
  throw new Error(`IMPL must be builtin, ours or fixture:<name>, got ${name}`);
}

function loadImpl(name = process.env.IMPL) {
  return require(resolveImpl(name));
}

module.exports = { ROOT, resolveImpl, loadImpl };
