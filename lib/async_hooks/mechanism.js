'use strict';
// Which built-in mechanism this Node runs AsyncLocalStorage on, and which
// parts of the API its built-in class has, so ours reproduces exactly that.

const builtin = require('node:async_hooks');

// Read once, before fast-async-hooks/register can replace the export.
const BuiltinAsyncLocalStorage = builtin.AsyncLocalStorage;
const proto = BuiltinAsyncLocalStorage.prototype;

// The promise-hook implementation has `_enable`; the AsyncContextFrame one
// (Node 24+ default, Node 22 with --experimental-async-context-frame) has not.
const usesAsyncContextFrame = typeof proto._enable !== 'function';

const supportsOptions = Object.getOwnPropertyDescriptor(proto, 'name') !== undefined;
const supportsWithScope = typeof proto.withScope === 'function';

// Node 24+ enables a promise-hook instance in its constructor; Node 20/22 on
// first run()/enterWith(). Observable (getStore() before any run, hook
// side effects), so ask the built-in itself.
//
// Node 24+ also keeps every instance's store of a resource in one object
// under an internal symbol, which it clears when a timer or immediate is
// cleaned up (so a retained Timeout does not pin a finished request's
// stores). Find that symbol so our frame can live in the same object and be
// released the same way. Undefined on Node 20/22.
//
// The probe must enable nothing: enabling the built-in's hook, even for a
// moment, leaves promise hooks on until a microtask (Node's disableHooks()
// defers turning them off), so every promise the rest of the main script
// creates would take an async id the built-in never gives. Its _enable()
// only records the constructor's call, and _propagate() between two plain
// objects shows where the built-in writes a store, touching no resource.
let enablesOnConstruction = false;
let resourceContextSymbol;
if (!usesAsyncContextFrame) {
  class Probe extends BuiltinAsyncLocalStorage {
    _enable() { enablesOnConstruction = true; }
  }
  const probe = new Probe();
  probe.enabled = true;
  const propagated = {};
  probe._propagate(propagated, {}, 'PROBE');
  resourceContextSymbol = Object.getOwnPropertySymbols(propagated)
    .find((symbol) => symbol.description === 'kAsyncLocalStorageContext');
}

const kEmptyObject = Object.freeze({ __proto__: null });

/**
 * The constructor options as the built-in of this Node reads them:
 * `{ defaultValue, name }` (name stringified) where it supports them, and
 * exactly its error (class, code, message) for a non-object.
 */
function readOptions(options = kEmptyObject) {
  if (!supportsOptions) return kEmptyObject;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    // validateObject rejects these before any side effect in every version.
    new BuiltinAsyncLocalStorage(options);
  }
  const { defaultValue } = options;
  return { defaultValue, name: options.name === undefined ? undefined : `${options.name}` };
}

/** Removes what this Node's built-in class does not have. */
function matchBuiltinSurface(Storage) {
  if (!supportsOptions) delete Storage.prototype.name;
  if (!supportsWithScope) delete Storage.prototype.withScope;
}

module.exports = {
  BuiltinAsyncLocalStorage,
  usesAsyncContextFrame,
  supportsOptions,
  supportsWithScope,
  enablesOnConstruction,
  resourceContextSymbol,
  readOptions,
  matchBuiltinSurface,
};
