'use strict';
// The per-request context and the one AsyncLocalStorage that carries it.
//
// A context is created once per request (from trusted-or-not headers) and is
// then only read on hot paths (logging, outgoing calls): one getStore() each.

const { AsyncLocalStorage } = require('../async_hooks');
const { invalidArgType, invalidArgValue } = require('../errors');
const ids = require('./ids');
const { normalizeOptions, newRequestId } = require('./options');

// The instance is created on first run(), so loading the kit creates none:
// on promise-hook Nodes an instance turns the promise hook on for the whole
// process, which a plain drop-in user must not pay for or observe.
let instance;
// Bumped when a request context is entered and when it is left: with the
// callback boundaries it tells the resource tracker when the current
// request can have changed (lib/tracker/index.js, contextIndex()). Every
// write of the instance goes through storage.run().
let switches = 0;
const storage = {
  run(store, fn, ...args) {
    instance ??= new AsyncLocalStorage();
    switches = (switches + 1) | 0;
    try {
      return instance.run(store, fn, ...args);
    } finally {
      switches = (switches + 1) | 0;
    }
  },
  getStore() {
    return instance === undefined ? undefined : instance.getStore();
  },
};

// Hidden state on context objects. Symbols keep them out of JSON/logs.
const kRoot = Symbol('fast-async-hooks.request.root');
const kNoPropagation = Symbol('fast-async-hooks.request.noPropagation');
const kRequestIdHeader = Symbol('fast-async-hooks.request.idHeader');
// Set on a per-request child logger (Fastify) for lines logged before the
// context is entered; see logging/pino.js.
const kLoggerContext = Symbol('fast-async-hooks.request.loggerContext');

const RESERVED = new Set([
  'requestId', 'traceId', 'spanId', 'parentSpanId', 'sampled', 'traceFlags', 'traceState', 'startTime',
]);

const HEX2 = [];
for (let i = 0; i < 256; i++) HEX2.push((i < 16 ? '0' : '') + i.toString(16));

// One class so every context has the same shape (monomorphic field reads).
class RequestContextData {
  constructor(requestId, traceId, parentSpanId, flags, traceState, requestIdHeader) {
    this.requestId = requestId;
    this.traceId = traceId;
    this.spanId = ids.generateSpanId();
    this.parentSpanId = parentSpanId;
    this.sampled = (flags & 1) === 1;
    this.traceFlags = HEX2[flags];
    this.traceState = traceState;
    this.startTime = Date.now();
    this[kRequestIdHeader] = requestIdHeader;
  }
}

// The parser already validated every member; formatTracestate would check
// them all again, so the normalized header is joined here.
function joinTracestate(entries) {
  let out = entries[0][0] + '=' + entries[0][1];
  for (let i = 1; i < entries.length; i++) out += ',' + entries[i][0] + '=' + entries[i][1];
  return out;
}

function headerOf(headers, name) {
  return headers === undefined || headers === null ? undefined : headers[name];
}

// Builds a context from (possibly hostile) request headers. Never throws on
// header content: anything invalid is dropped and replaced by fresh ids.
function contextFromHeaders(headers, options, req) {
  let requestId = null;
  let parent = null;
  let traceState = null;
  if (options.trustRequestId) {
    requestId = ids.validateRequestId(headerOf(headers, options.requestIdHeader), options.requestIdValidation);
  }
  if (options.trustTraceparent) {
    parent = ids.parseTraceparent(headerOf(headers, 'traceparent'));
    if (parent !== null) {
      // tracestate only means something next to a valid traceparent (W3C §3.3).
      const entries = ids.parseTracestate(headerOf(headers, 'tracestate'));
      if (entries !== null && entries.length > 0) traceState = joinTracestate(entries);
    }
  }
  if (requestId === null) requestId = newRequestId(options, req);
  // Keep 'sampled' and the level-2 'random' bit; other bits are not ours to relay.
  const flags = parent !== null ? parent.flags & 0x03 : (options.sampled ? 1 : 0);
  const context = new RequestContextData(
    requestId,
    parent !== null ? parent.traceId : ids.generateTraceId(),
    parent !== null ? parent.parentId : null,
    flags,
    traceState,
    options.requestIdHeaderName,
  );
  if (options.fields !== null) addFields(context, options.fields(req));
  return context;
}

function addFields(context, extra) {
  if (extra === undefined || extra === null) return;
  if (typeof extra !== 'object') throw invalidArgType('fields', 'an object or a function returning one', extra);
  for (const key of Object.keys(extra)) {
    if (!RESERVED.has(key)) context[key] = extra[key];
  }
}

/**
 * createRequestContext({ headers, req, fields, ...middlewareOptions })
 * `fields` may be a function (called with `req`) or a plain object.
 */
function createRequestContext(options = {}) {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
  const { headers, req, fields } = options;
  if (headers !== undefined && (headers === null || typeof headers !== 'object')) {
    throw invalidArgType('options.headers', 'object', headers);
  }
  const fieldsIsObject = fields !== undefined && fields !== null && typeof fields === 'object';
  const normalized = normalizeOptions(fieldsIsObject ? { ...options, fields: undefined } : options);
  const context = contextFromHeaders(headers, normalized, req);
  if (fieldsIsObject) addFields(context, fields);
  return context;
}

function isRequestContext(value) {
  return value instanceof RequestContextData || (value !== null && typeof value === 'object' && value[kRoot] !== undefined);
}

/** Runs fn inside a request context (an existing one, or one built from options). */
function runWithRequestContext(contextOrOptions, fn, ...args) {
  if (typeof fn !== 'function') throw invalidArgType('fn', 'function', fn);
  const context = isRequestContext(contextOrOptions) ? contextOrOptions : createRequestContext(contextOrOptions);
  return storage.run(context, fn, ...args);
}

/** The current request context, or undefined outside a request. */
function getRequestContext() {
  return storage.getStore();
}

/** How many times a request context was entered or left (wraps at 2^31). */
function contextSwitches() {
  return switches;
}

// Writes go to the request's own context even inside a withoutPropagation()
// scope (whose store is a view inheriting from it).
function rootOf(store) {
  return store[kRoot] === undefined ? store : store[kRoot];
}

const RequestContext = Object.freeze({
  get(key) {
    const store = storage.getStore();
    return store === undefined ? undefined : store[key];
  },
  /** Sets a user field on the current request; returns false outside a request. */
  set(key, value) {
    if (typeof key !== 'string' && typeof key !== 'symbol') throw invalidArgType('key', ['string', 'symbol'], key);
    if (RESERVED.has(key)) throw invalidArgValue('key', key, 'is set by the request context and cannot be changed');
    const store = storage.getStore();
    if (store === undefined) return false;
    rootOf(store)[key] = value;
    return true;
  },
  get current() { return storage.getStore(); },
  get requestId() { return storage.getStore()?.requestId; },
  get traceId() { return storage.getStore()?.traceId; },
  get spanId() { return storage.getStore()?.spanId; },
});

/** Runs fn with outgoing propagation switched off (see propagation.js). */
function withoutPropagation(fn, ...args) {
  if (typeof fn !== 'function') throw invalidArgType('fn', 'function', fn);
  const store = storage.getStore();
  if (store === undefined || store[kNoPropagation] === true) return fn(...args);
  const view = Object.create(store);
  view[kRoot] = rootOf(store);
  view[kNoPropagation] = true;
  return storage.run(view, fn, ...args);
}

module.exports = {
  storage,
  kNoPropagation,
  kRequestIdHeader,
  kLoggerContext,
  contextFromHeaders,
  createRequestContext,
  runWithRequestContext,
  getRequestContext,
  contextSwitches,
  RequestContext,
  withoutPropagation,
};
