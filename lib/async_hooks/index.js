'use strict';
// Drop-in surface of node:async_hooks. AsyncLocalStorage is ours (all
// instances multiplexed into one frame, see frame.js); everything else is
// the built-in itself, so hooks, ids and resources are Node's own.

const builtin = require('node:async_hooks');
const { usesAsyncContextFrame, supportsOptions } = require('./mechanism');

function selectStorage() {
  if (!usesAsyncContextFrame) return require('./hooks_storage');
  // Node 22's frame built-in (the one without options) reads a store with
  // one Map lookup, which only keying each instance in the map matches
  // (keyed_frame_storage.js); it needs the addon's direct frame writes.
  if (!supportsOptions && require('./frame_access') !== null) return require('./keyed_frame_storage');
  return require('./frame_storage');
}

const AsyncLocalStorage = selectStorage();

module.exports = {
  AsyncLocalStorage,
  createHook: builtin.createHook,
  executionAsyncId: builtin.executionAsyncId,
  triggerAsyncId: builtin.triggerAsyncId,
  executionAsyncResource: builtin.executionAsyncResource,
  asyncWrapProviders: builtin.asyncWrapProviders,
  AsyncResource: builtin.AsyncResource,
};
