'use strict';
// lib/async_hooks/frame_access.js: on AsyncContextFrame Nodes the engine
// writes frames itself through V8's continuation-data builtins. These tests
// pin down when that path is taken and that taking it leaves no trace; the
// conformance suite (run with and without FAST_ASYNC_HOOKS_PORTABLE=1 by
// scripts/test-matrix.js) proves the behaviour is the built-in's.

const test = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { usesAsyncContextFrame, supportsOptions } = require('../lib/async_hooks/mechanism');

const root = path.join(__dirname, '..');
const flags = process.execArgv.filter((a) => !a.startsWith('--test') && a !== '--expose-gc');

function child(source, env = {}) {
  const r = spawnSync(process.execPath, [...flags, '-e', source], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', FAST_ASYNC_HOOKS_PORTABLE: '', ...env },
  });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('direct frame access is used exactly on AsyncContextFrame Nodes', () => {
  const seen = child(`
    require('./');
    const key = require.resolve('./lib/async_hooks/frame_access');
    console.log(JSON.stringify({ loaded: key in require.cache, active: key in require.cache && require(key) !== null }));
  `);
  assert.deepStrictEqual(seen, { loaded: usesAsyncContextFrame, active: usesAsyncContextFrame });
});

test('FAST_ASYNC_HOOKS_PORTABLE=1 keeps to the built-in carrier methods', { skip: !usesAsyncContextFrame }, () => {
  const seen = child(`
    const { AsyncLocalStorage } = require('./');
    const als = new AsyncLocalStorage();
    console.log(JSON.stringify({
      access: require('./lib/async_hooks/frame_access'),
      store: als.run('s', () => als.getStore()),
    }));
  `, { FAST_ASYNC_HOOKS_PORTABLE: '1' });
  assert.deepStrictEqual(seen, { access: null, store: 's' });
});

test('loading leaves the current frame as it was', { skip: !usesAsyncContextFrame }, () => {
  // The self-check at load enters a probe instance; the frame of the code
  // that required us must come back unchanged (the same object), or every
  // later frame would copy the probe's entry.
  const seen = child(`
    const { AsyncLocalStorage: Builtin } = require('node:async_hooks');
    const binding = require('./lib/native').v8ExtrasBinding();
    const current = binding.getContinuationPreservedEmbedderData;
    const emptyBefore = current() === undefined;
    const other = new Builtin();
    other.enterWith('kept');
    const before = current();
    require('./');
    const after = current();
    console.log(JSON.stringify({ emptyBefore, same: before === after, size: after.size, kept: other.getStore() }));
  `);
  assert.deepStrictEqual(seen, { emptyBefore: true, same: true, size: 1, kept: 'kept' });
});

test('frames written by run() are of the built-in frame class', { skip: !usesAsyncContextFrame }, () => {
  const seen = child(`
    const { AsyncLocalStorage: Builtin } = require('node:async_hooks');
    const { AsyncLocalStorage } = require('./');
    const current = require('./lib/native').v8ExtrasBinding().getContinuationPreservedEmbedderData;
    const builtin = new Builtin();
    builtin.enterWith('b');
    const theirs = current();
    const ours = new AsyncLocalStorage();
    const inside = ours.run('o', () => current());
    console.log(JSON.stringify({
      samePrototype: Object.getPrototypeOf(inside) === Object.getPrototypeOf(theirs),
      ownKeys: Reflect.ownKeys(inside).length,
      entries: inside.size,
      builtinSeen: inside.get(builtin),
      newAfterRun: current() !== theirs,
    }));
  `);
  assert.deepStrictEqual(seen, { samePrototype: true, ownKeys: 0, entries: 2, builtinSeen: 'b', newAfterRun: true });
});

test('Node 22 keys each instance in the frame; Node 24+ multiplex them into two carrier entries', { skip: !usesAsyncContextFrame }, () => {
  const seen = child(`
    const { AsyncLocalStorage } = require('./');
    const current = require('./lib/native').v8ExtrasBinding().getContinuationPreservedEmbedderData;
    const [a, b, c] = [new AsyncLocalStorage(), new AsyncLocalStorage(), new AsyncLocalStorage()];
    const inside = a.run(1, () => b.run(2, () => c.run(3, () => current())));
    console.log(JSON.stringify({ entries: inside.size, keyedByInstance: inside.get(c) === 3 }));
  `);
  // Node 22's built-in has no constructor options (see lib/async_hooks/index.js).
  assert.deepStrictEqual(seen, !supportsOptions ? { entries: 3, keyedByInstance: true } : { entries: 2, keyedByInstance: false });
});
