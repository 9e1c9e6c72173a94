'use strict';
// Drop-in surface of node:async_hooks. AsyncLocalStorage is ours (all
// instances multiplexed into one frame, see frame.js); everything else is
// the built-in itself, so hooks, ids and resources are Node's own.

const builtin = require('node:async_hooks');
const { usesAsyncContextFrame } = require('./mechanism');

const AsyncLocalStorage = usesAsyncContextFrame ?
  require('./frame_storage') :
  require('./hooks_storage');

module.exports = {
  AsyncLocalStorage,
  createHook: builtin.createHook,
  executionAsyncId: builtin.executionAsyncId,
  triggerAsyncId: builtin.triggerAsyncId,
  executionAsyncResource: builtin.executionAsyncResource,
  asyncWrapProviders: builtin.asyncWrapProviders,
  AsyncResource: builtin.AsyncResource,
};
