'use strict';
// Ties a context to a node:http request/response pair.
//
// Stream events on `req`/`res` ('data', 'end', 'finish', 'close', ...) are
// emitted from socket callbacks whose async context is the connection's,
// not the request's, so listeners would run outside the request. Each
// emitter's `emit` is replaced (own property, this object only) with one
// shared function that re-enters the request's context first.

const { storage } = require('./context');

const kContext = Symbol('fast-async-hooks.request.context');
const kEmit = Symbol('fast-async-hooks.request.emit');

function emitInRequestContext(event) {
  // Fast paths: nobody listens (most internal stream events), or already
  // inside (synchronous emit from request code). Entering costs a run().
  if (this.listenerCount(event) === 0 || storage.getStore() === this[kContext]) {
    return Reflect.apply(this[kEmit], this, arguments);
  }
  return storage.run(this[kContext], Reflect.apply, this[kEmit], this, arguments);
}

function bindEmitter(emitter, context) {
  if (emitter[kEmit] === undefined) {
    emitter[kEmit] = emitter.emit;
    emitter.emit = emitInRequestContext;
  }
  emitter[kContext] = context;
}

function traceparentOf(context) {
  return `00-${context.traceId}-${context.spanId}-${context.traceFlags}`;
}

// Response headers are set up front with setHeader so frameworks that build
// their own header maps (Fastify) or write early still send them; a value
// the application sets later wins.
function setResponseHeaders(res, context, options) {
  if (!options.responseHeaders || res.headersSent) return;
  res.setHeader(options.requestIdHeaderName, context.requestId);
  res.setHeader('traceparent', traceparentOf(context));
}

function attach(req, res, context, options) {
  bindEmitter(req, context);
  bindEmitter(res, context);
  setResponseHeaders(res, context, options);
}

module.exports = { attach, bindEmitter, setResponseHeaders, traceparentOf, kContext };
