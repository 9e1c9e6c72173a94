'use strict';
// Fastify integration (tested with Fastify 5): `fastify.register(fastifyContext, options)`.
//
// The plugin is marked skip-override, so its hook and genReqId apply to the
// whole application, not just to an encapsulated child context.
//
// Request ids: Fastify computes `request.id` (and the logger's `reqId`)
// with its genReqId before any hook runs. The plugin installs
// `fastifyGenReqId(options)` through `fastify.setGenReqId`, which builds
// the request context right there, so `request.id === requestId`. If you
// configure Fastify's own `requestIdHeader`, Fastify reads that header
// itself (unvalidated) and request.id can differ from our requestId:
// leave `requestIdHeader` at Fastify's default (false) and set ours here.
//
// Fastify logs 'incoming request' before any hook runs. The plugin wraps
// Fastify's childLoggerFactory to tag each request's child logger with its
// context, which pinoMixin() reads when no context is active yet, so that
// line has the trace fields too. Alternatively (or for loggers other than
// pino), `serverFactory: fastifyServerFactory(options)` creates the context
// before Fastify sees the request (HTTP/1 and HTTPS; not http2).

const { storage, contextFromHeaders, kLoggerContext } = require('./context');
const { normalizeOptions } = require('./options');
const { attach, kContext } = require('./attach');
const { enableDefaultPropagation } = require('./propagation');
const { httpContext } = require('./http');
const { invalidArgValue } = require('../errors');

const kPending = Symbol('fast-async-hooks.request.pending');

/** A Fastify genReqId(req) that builds the request context and returns its id. */
function fastifyGenReqId(options) {
  const opts = normalizeOptions(options);
  return function genReqIdFromContext(req) {
    // Already built by fastifyServerFactory.
    if (req[kContext] !== undefined) return req[kContext].requestId;
    const context = contextFromHeaders(req.headers, opts, req);
    req[kPending] = context;
    return context.requestId;
  };
}

function fastifyContext(fastify, options, done) {
  let opts;
  try {
    opts = normalizeOptions(options);
  } catch (err) {
    done(err);
    return;
  }
  enableDefaultPropagation(opts);
  if (options?.setRequestId !== false && typeof fastify.setGenReqId === 'function') {
    fastify.setGenReqId(fastifyGenReqId(opts));
  }
  if (typeof fastify.setChildLoggerFactory === 'function' && typeof fastify.childLoggerFactory === 'function') {
    fastify.setChildLoggerFactory(tagChildLogger(fastify.childLoggerFactory));
  }
  fastify.addHook('onRequest', function requestContextHook(request, reply, next) {
    const raw = request.raw;
    // Registered twice: the first hook already attached a context.
    let context = raw[kContext];
    if (context === undefined) {
      context = raw[kPending] ?? contextFromHeaders(raw.headers, opts, raw);
      raw[kPending] = undefined;
      attach(raw, reply.raw, context, opts);
    }
    storage.run(context, next);
  });
  done();
}

function tagChildLogger(factory) {
  return function childLoggerWithContext(logger, bindings, opts, rawReq) {
    const child = factory.call(this, logger, bindings, opts, rawReq);
    const context = rawReq?.[kContext] ?? rawReq?.[kPending];
    if (context !== undefined && child !== null && typeof child === 'object') child[kLoggerContext] = context;
    return child;
  };
}

/**
 * fastifyServerFactory(options) -> Fastify `serverFactory`: a node:http(s)
 * server whose listener runs Fastify inside the request context, with
 * Fastify's own timeout options applied as Fastify would.
 */
function fastifyServerFactory(options) {
  const opts = normalizeOptions(options);
  return function serverFactory(handler, fastifyOptions = {}) {
    if (fastifyOptions.http2) {
      throw invalidArgValue('options.http2', fastifyOptions.http2, 'is not supported by fastifyServerFactory; use the plugin alone');
    }
    const listener = httpContext(handler, opts);
    const httpsOptions = fastifyOptions.https === true ? {} : fastifyOptions.https;
    const server = httpsOptions
      ? require('node:https').createServer(httpsOptions, listener)
      : require('node:http').createServer(fastifyOptions.http ?? {}, listener);
    if (fastifyOptions.keepAliveTimeout !== undefined) server.keepAliveTimeout = fastifyOptions.keepAliveTimeout;
    if (fastifyOptions.requestTimeout !== undefined) server.requestTimeout = fastifyOptions.requestTimeout;
    if (fastifyOptions.connectionTimeout !== undefined) server.setTimeout(fastifyOptions.connectionTimeout);
    if (fastifyOptions.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = fastifyOptions.maxRequestsPerSocket;
    return server;
  };
}

fastifyContext[Symbol.for('skip-override')] = true;
fastifyContext[Symbol.for('fastify.display-name')] = 'fast-async-hooks-request-context';
fastifyContext[Symbol.for('plugin-meta')] = { name: 'fast-async-hooks-request-context' };

module.exports = { fastifyContext, fastifyGenReqId, fastifyServerFactory };
