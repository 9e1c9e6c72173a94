'use strict';
// Implementation adapters shared by the benchmarks. Every adapter exposes
// create() -> an object with run(store, fn) and getStore(), so the case code
// is the same for every implementation:
//
//   builtin  node:async_hooks AsyncLocalStorage (called directly, no wrapper)
//   ours     require('fast-async-hooks').AsyncLocalStorage (called directly)
//   cls      cls-hooked: one namespace per instance, wrapped (run() =
//            ns.runAndReturn + ns.set('store', store); getStore() =
//            ns.get('store')). The wrapper costs one closure per run().
//   none     no context propagation at all: run(store, fn) just calls fn and
//            getStore() returns a constant. Baseline for "x N of no-ALS".
//   emptyhook  `none` plus an enabled createHook({ init() {} }): what Node's
//            async-hook machinery costs with an init hook doing nothing. On
//            promise-hook Nodes both the built-in and ours propagate through
//            that machinery, so this is the floor of any AsyncLocalStorage
//            built on it there (not meaningful on AsyncContextFrame Nodes).
//
// Loading an implementation has side effects that tax the others (cls-hooked
// enables an async_hooks hook per namespace; the built-in and ours enable
// promise hooks on Node 20/22 on first use), so a module only loads what the
// process it runs in is meant to measure.

const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const NAMES = ['builtin', 'ours', 'cls'];
const LABELS = { none: 'no-ALS', emptyhook: 'empty init hook', builtin: 'built-in', ours: 'ours', cls: 'cls-hooked' };

class ClsStorage {
  constructor(ns) { this.ns = ns; }
  run(store, fn) {
    const ns = this.ns;
    return ns.runAndReturn(() => {
      ns.set('store', store);
      return fn();
    });
  }
  getStore() { return this.ns.get('store'); }
}

const NONE_STORE = Object.freeze({ none: true });
class NoStorage {
  run(store, fn) { return fn(); }
  getStore() { return NONE_STORE; }
}

let clsCounter = 0;

function loadImpl(name) {
  switch (name) {
    case 'builtin': {
      const { AsyncLocalStorage } = require('node:async_hooks');
      return { name, create: () => new AsyncLocalStorage() };
    }
    case 'ours': {
      const { AsyncLocalStorage } = require(ROOT);
      return { name, create: () => new AsyncLocalStorage() };
    }
    case 'cls': {
      const cls = require('cls-hooked');
      return { name, create: () => new ClsStorage(cls.createNamespace(`bench-${process.pid}-${clsCounter++}`)) };
    }
    case 'none':
      return { name, create: () => new NoStorage() };
    case 'emptyhook':
      require('node:async_hooks').createHook({ init() {} }).enable();
      return { name, create: () => new NoStorage() };
    default:
      throw new Error(`unknown implementation ${name}`);
  }
}

// True when the package's AsyncLocalStorage is still the built-in class
// (the multiplexed engine has not landed): results then compare the built-in
// with itself. Loads both, so only call it in a process that measures nothing.
function oursIsBuiltin() {
  return require(ROOT).AsyncLocalStorage === require('node:async_hooks').AsyncLocalStorage;
}

// Enters every instance (outermost first) with its own store, then calls fn
// inside all of them; returns what fn returns.
function enterAll(instances, stores, fn) {
  let f = fn;
  for (let i = instances.length - 1; i >= 0; i--) {
    const inner = f;
    const inst = instances[i];
    const store = stores[i];
    f = () => inst.run(store, inner);
  }
  return f();
}

module.exports = { ROOT, NAMES, LABELS, loadImpl, oursIsBuiltin, enterAll, NONE_STORE };
