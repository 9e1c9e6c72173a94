'use strict';
// Express integration (tested with Express 5): a middleware; mount it first.

const { storage, contextFromHeaders } = require('./context');
const { normalizeOptions } = require('./options');
const { attach } = require('./attach');
const { enableDefaultPropagation } = require('./propagation');

/**
 * expressContext(options) -> (req, res, next)
 * Everything after this middleware (routes, body parsers, error middleware,
 * stream events) runs inside the request context. Sets `req.id`.
 */
function expressContext(options) {
  const opts = normalizeOptions(options);
  enableDefaultPropagation(opts);
  return function requestContextMiddleware(req, res, next) {
    const context = contextFromHeaders(req.headers, opts, req);
    req.id = context.requestId;
    attach(req, res, context, opts);
    storage.run(context, next);
  };
}

module.exports = { expressContext };
