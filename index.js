'use strict';
// Public entry of fast-async-hooks. Hand-written: the napi-rs generated
// loader lives in binding.js and is only reached through lib/native.js.
//
// The node:async_hooks surface is loaded eagerly; the request kit is loaded
// on first use of one of its exports, so a plain drop-in user creates no
// AsyncLocalStorage of ours (on promise-hook Nodes an instance turns the
// promise hook on, which changes executionAsyncId() in continuations).

const asyncHooks = require('./lib/async_hooks');

const REQUEST_KIT_EXPORTS = [
  'getRequestContext', 'RequestContext', 'runWithRequestContext', 'createRequestContext',
  'withoutPropagation', 'expressContext', 'koaContext', 'fastifyContext', 'fastifyGenReqId',
  'fastifyServerFactory', 'httpContext', 'pinoMixin', 'winstonFormat', 'patchConsole',
  'enableOutgoingPropagation', 'disableOutgoingPropagation', 'isOutgoingPropagationEnabled',
  'getOutgoingHeaders', 'outgoingPropagationSupport',
];

/** Version of the loaded native addon; throws if the prebuilt binary is missing. */
function nativeVersion() {
  return require('./lib/native').nativeVersion();
}

module.exports = { ...asyncHooks, nativeVersion };

for (const name of REQUEST_KIT_EXPORTS) {
  Object.defineProperty(module.exports, name, {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      const value = require('./lib/request')[name];
      Object.defineProperty(module.exports, name, { __proto__: null, value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  });
}
