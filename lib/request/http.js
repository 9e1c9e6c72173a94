'use strict';
// node:http integration: wraps a plain request listener.

const { storage, contextFromHeaders } = require('./context');
const { normalizeOptions } = require('./options');
const { invalidArgType } = require('../errors');
const { attach } = require('./attach');
const { enableDefaultPropagation } = require('./propagation');

/**
 * httpContext(handler, options) -> request listener
 * Runs `handler(req, res)` inside a new request context; sets `req.id`.
 */
function httpContext(handler, options) {
  if (typeof handler !== 'function') throw invalidArgType('handler', 'function', handler);
  const opts = normalizeOptions(options);
  enableDefaultPropagation(opts);
  return function requestListenerWithContext(req, res) {
    const context = contextFromHeaders(req.headers, opts, req);
    req.id = context.requestId;
    attach(req, res, context, opts);
    return storage.run(context, Reflect.apply, handler, this, arguments);
  };
}

module.exports = { httpContext };
