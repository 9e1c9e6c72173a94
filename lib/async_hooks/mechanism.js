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
// side effects), so ask the built-in itself, then undo what it did.
let enablesOnConstruction = false;
if (!usesAsyncContextFrame) {
  const probe = new BuiltinAsyncLocalStorage();
  enablesOnConstruction = probe.enabled === true;
  probe.disable();
}

/** Throws exactly the error the built-in constructor throws for `options`. */
function throwInvalidOptions(options) {
  // validateObject rejects these before any side effect in every version.
  new BuiltinAsyncLocalStorage(options);
}

module.exports = {
  BuiltinAsyncLocalStorage,
  usesAsyncContextFrame,
  supportsOptions,
  supportsWithScope,
  enablesOnConstruction,
  throwInvalidOptions,
};
