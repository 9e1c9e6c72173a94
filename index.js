'use strict';
// Public entry of fast-async-hooks (CommonJS; index.mjs re-exports it for
// ESM). Hand-written: the napi-rs generated loader lives in binding.js and
// is only reached through lib/native.js, on first use.
//
// Exports are assigned one by one so Node's CommonJS export detection finds
// them (ESM `import { AsyncLocalStorage } from 'fast-async-hooks'`).

const asyncHooks = require('./lib/async_hooks');
const request = require('./lib/request');

// node:async_hooks drop-in
exports.AsyncLocalStorage = asyncHooks.AsyncLocalStorage;
exports.AsyncResource = asyncHooks.AsyncResource;
exports.createHook = asyncHooks.createHook;
exports.executionAsyncId = asyncHooks.executionAsyncId;
exports.triggerAsyncId = asyncHooks.triggerAsyncId;
exports.executionAsyncResource = asyncHooks.executionAsyncResource;
exports.asyncWrapProviders = asyncHooks.asyncWrapProviders;

// Request kit (lib/request/README.md)
exports.getRequestContext = request.getRequestContext;
exports.RequestContext = request.RequestContext;
exports.runWithRequestContext = request.runWithRequestContext;
exports.createRequestContext = request.createRequestContext;
exports.withoutPropagation = request.withoutPropagation;
exports.expressContext = request.expressContext;
exports.koaContext = request.koaContext;
exports.fastifyContext = request.fastifyContext;
exports.fastifyGenReqId = request.fastifyGenReqId;
exports.fastifyServerFactory = request.fastifyServerFactory;
exports.httpContext = request.httpContext;
exports.pinoMixin = request.pinoMixin;
exports.winstonFormat = request.winstonFormat;
exports.patchConsole = request.patchConsole;
exports.enableOutgoingPropagation = request.enableOutgoingPropagation;
exports.disableOutgoingPropagation = request.disableOutgoingPropagation;
exports.isOutgoingPropagationEnabled = request.isOutgoingPropagationEnabled;
exports.getOutgoingHeaders = request.getOutgoingHeaders;
exports.outgoingPropagationSupport = request.outgoingPropagationSupport;

exports.trackResources = (options) => require('./lib/tracker').trackResources(options); // lib/tracker (loaded on first use)

/** Version of the loaded native addon; throws an Error with code ERR_FAST_ASYNC_HOOKS_NO_BINARY if there is no binary for this platform. */
exports.nativeVersion = function nativeVersion() {
  return require('./lib/native').nativeVersion();
};
