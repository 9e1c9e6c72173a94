'use strict';
// Collectability of instances and stores, measured the same way for
// node:async_hooks and fast-async-hooks in this process (needs --expose-gc,
// which scripts/run-tests.js passes). Each case reports booleans; ours must
// report exactly what the built-in reports, and for the cases where Node's
// behaviour is guaranteed the expected value is asserted too.

const { test } = require('node:test');
const assert = require('node:assert');
const builtin = require('node:async_hooks');
const ours = require('..');

const tick = () => new Promise((resolve) => setImmediate(resolve));

// deref() keeps its target alive until the current job ends, so every gc()
// must run in a later job than the previous deref().
async function collected(ref) {
  for (let i = 0; i < 20; i++) {
    await tick();
    global.gc();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

// Each case builds its objects in a separate function so no local of the
// caller keeps them alive; it returns the WeakRefs plus an optional cleanup.
const CASES = {
  async 'disabled, unreferenced instance'(mod) {
    const als = new mod.AsyncLocalStorage();
    await als.run({ payload: 'x' }, async () => { await tick(); });
    als.disable();
    return { refs: { instance: new WeakRef(als) } };
  },
  async 'instance that was only constructed'(mod) {
    return { refs: { instance: new WeakRef(new mod.AsyncLocalStorage()) } };
  },
  async 'stores of finished run() contexts'(mod) {
    const als = new mod.AsyncLocalStorage();
    const refs = {};
    await Promise.all([0, 1, 2].map((i) => {
      const store = { i, big: new Array(1000).fill(i) };
      refs[`store${i}`] = new WeakRef(store);
      return als.run(store, async () => {
        await tick();
        await new Promise((resolve) => setTimeout(resolve, 1));
      });
    }));
    return { refs, keep: als };
  },
  async 'store replaced by a later enterWith'(mod) {
    const als = new mod.AsyncLocalStorage();
    const refs = {};
    await als.run('outer', async () => {
      const first = { first: true };
      refs.first = new WeakRef(first);
      als.enterWith(first);
      await tick();
      als.enterWith({ second: true });
      await tick();
    });
    return { refs, keep: als };
  },
  async 'store captured by a pending timer, then cleared'(mod) {
    const als = new mod.AsyncLocalStorage();
    const store = { timer: true };
    const holder = { timer: als.run(store, () => setTimeout(() => {}, 60_000)) };
    const cleanup = () => {
      clearTimeout(holder.timer);
      holder.timer = null;
    };
    return { refs: { store: new WeakRef(store) }, keep: als, cleanup };
  },
  async 'store of a bound function that is still referenced'(mod) {
    const als = new mod.AsyncLocalStorage();
    const store = { bound: true };
    const fn = als.run(store, () => mod.AsyncLocalStorage.bind(() => als.getStore()));
    return { refs: { store: new WeakRef(store) }, keep: [als, fn] };
  },
};

// Outcome of one case: which refs are collected while `keep` is alive,
// then after cleanup() (if any).
async function outcome(mod, name) {
  const { refs, keep, cleanup } = await CASES[name](mod);
  const result = {};
  for (const [k, ref] of Object.entries(refs)) result[k] = await collected(ref);
  if (cleanup) {
    cleanup();
    for (const [k, ref] of Object.entries(refs)) result[`${k} after cleanup`] = await collected(ref);
  }
  // Keep `keep` reachable until here.
  result.kept = keep === undefined ? 'none' : typeof keep;
  return result;
}

// Where Node guarantees the answer, pin it so this test can fail on its own.
const EXPECTED = {
  'disabled, unreferenced instance': { instance: true },
  'stores of finished run() contexts': { store0: true, store1: true, store2: true },
  'store captured by a pending timer, then cleared': { store: false, 'store after cleanup': true },
  'store of a bound function that is still referenced': { store: false },
};

for (const name of Object.keys(CASES)) {
  test(`gc: ${name}`, async () => {
    const expected = await outcome(builtin, name);
    const actual = await outcome(ours, name);
    assert.deepStrictEqual(actual, expected, 'fast-async-hooks differs from node:async_hooks');
    for (const [k, v] of Object.entries(EXPECTED[name] ?? {})) {
      assert.strictEqual(expected[k], v, `built-in ${k}`);
    }
  });
}
