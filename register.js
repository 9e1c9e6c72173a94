'use strict';
// Process-wide swap: makes `require('node:async_hooks').AsyncLocalStorage`
// (and `async_hooks`, and the ESM named export) our class, so instances
// created by libraries (loggers, tracers, Koa's `asyncLocalStorage: true`)
// are multiplexed into the one frame too.
//
//   node -r fast-async-hooks/register app.js
//   node --import fast-async-hooks/register app.mjs
//
// Instances created before this runs stay built-in ones; both kinds work
// side by side.

const asyncHooks = require('node:async_hooks');
const { syncBuiltinESMExports } = require('node:module');
const { AsyncLocalStorage } = require('./lib/async_hooks');

if (asyncHooks.AsyncLocalStorage !== AsyncLocalStorage) {
  Object.defineProperty(asyncHooks, 'AsyncLocalStorage', {
    __proto__: null,
    value: AsyncLocalStorage,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  syncBuiltinESMExports();
}
