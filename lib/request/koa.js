'use strict';
// Koa integration (tested with Koa 2): a middleware; mount it first (`app.use(koaContext())`).

const { storage, contextFromHeaders } = require('./context');
const { normalizeOptions } = require('./options');
const { attach, traceparentOf } = require('./attach');
const { enableDefaultPropagation } = require('./propagation');

const kState = Symbol('fast-async-hooks.request.koa');

// Koa reports errors from a promise chain it set up *before* our middleware
// ran, so `app.on('error')` listeners would fire outside the request. Koa
// calls `ctx.onerror(err)` late-bound, so an own `onerror` on this ctx that
// re-enters the request context fixes that. Koa's onerror also removes every
// response header and then applies `err.headers`; our ids are lent to
// `err.headers` for that one synchronous call so error responses keep them.
function onerrorInRequestContext(err) {
  const state = this[kState];
  return storage.run(state.context, callOnerror, this, state, err);
}

function callOnerror(ctx, state, err) {
  if (!state.options.responseHeaders || err === null || typeof err !== 'object' || Object.isFrozen(err)) {
    return state.onerror.call(ctx, err);
  }
  const had = Object.prototype.hasOwnProperty.call(err, 'headers');
  const previous = err.headers;
  const headers = { ...previous };
  if (!hasHeader(headers, state.options.requestIdHeader)) {
    headers[state.options.requestIdHeaderName] = state.context.requestId;
  }
  if (!hasHeader(headers, 'traceparent')) headers.traceparent = traceparentOf(state.context);
  try {
    err.headers = headers;
  } catch {
    return state.onerror.call(ctx, err); // read-only `headers`: leave it be
  }
  try {
    return state.onerror.call(ctx, err);
  } finally {
    if (had) err.headers = previous;
    else delete err.headers;
  }
}

function hasHeader(headers, lowerName) {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lowerName) return true;
  return false;
}

/**
 * koaContext(options) -> async (ctx, next)
 * Sets `ctx.state.requestId` and `ctx.state.requestContext`.
 */
function koaContext(options) {
  const opts = normalizeOptions(options);
  enableDefaultPropagation(opts);
  return function requestContextMiddleware(ctx, next) {
    const context = contextFromHeaders(ctx.req.headers, opts, ctx.req);
    ctx.state.requestId = context.requestId;
    ctx.state.requestContext = context;
    attach(ctx.req, ctx.res, context, opts);
    ctx[kState] = { context, options: opts, onerror: ctx.onerror };
    ctx.onerror = onerrorInRequestContext;
    return storage.run(context, next);
  };
}

module.exports = { koaContext };
