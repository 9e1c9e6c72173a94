'use strict';
// `node -r benchmark/stacks/lib/preload-floor.js`: a stack's floor, the same
// app with no context propagation. Every AsyncLocalStorage (node:async_hooks'
// export and the request kit's) is SyncOnlyStorage: run() makes the store
// current for the synchronous extent of fn and getStore() returns it, so code
// that enters and reads a context in one synchronous stretch (span nesting,
// middleware chains) still does its work, but nothing follows an await, a
// timer or a callback (getStore() there is undefined: no request id in
// responses or log lines after the first await).
//
// On promise-hook Nodes it also enables an async_hooks init hook that does
// nothing: every AsyncLocalStorage that propagates there (the built-in and
// ours) pays Node's hook machinery, so built-in − floor and ours − floor are
// what each costs above that machinery (benchmark/lib/impls.js, `emptyhook`).
// On AsyncContextFrame Nodes there is no hook: the floor is no context at all.

const asyncHooks = require('node:async_hooks');
const Module = require('node:module');
const { replaceEngineModule } = require('./engine-module');
const { usesAsyncContextFrame } = require('../../../lib/async_hooks/mechanism');

class SyncOnlyStorage {
  constructor() { this._store = undefined; }
  run(store, fn, ...args) {
    const previous = this._store;
    this._store = store;
    try {
      return fn(...args);
    } finally {
      this._store = previous;
    }
  }
  exit(fn, ...args) { return this.run(undefined, fn, ...args); }
  getStore() { return this._store; }
  enterWith(store) { this._store = store; }
  disable() { this._store = undefined; }
  static bind(fn) { return fn; }
  static snapshot() { return (fn, ...args) => fn(...args); }
}

const exportsWithFloor = { ...asyncHooks, AsyncLocalStorage: SyncOnlyStorage };
Object.defineProperty(asyncHooks, 'AsyncLocalStorage', {
  __proto__: null, value: SyncOnlyStorage, writable: true, enumerable: true, configurable: true,
});
Module.syncBuiltinESMExports();

replaceEngineModule(exportsWithFloor);

if (!usesAsyncContextFrame) asyncHooks.createHook({ init() {} }).enable();

module.exports = { SyncOnlyStorage };
