'use strict';
// Outgoing propagation: adds `traceparent` (+ `tracestate`) and the request
// id header to outgoing HTTP calls made inside a request context, using
// diagnostics_channel only (no patching of http.request or fetch).
//
// Channels per Node version:
// - node:http(s) client: 'http.client.request.created' (Node >= 22.12 /
//   >= 23.2), published in the ClientRequest constructor while headers can
//   still be set. Node 20 only has 'http.client.request.start', which fires
//   after the headers were written, so automatic node:http propagation is
//   unavailable there: use getOutgoingHeaders() when building the request.
// - fetch (bundled undici, every supported Node): 'undici:request:create',
//   via request.addHeader().
//
// Each outgoing call is a new child span: its traceparent carries the same
// trace id and a NEW span id (the client span), whose parent is the
// request's own span id (context.spanId). `onOutgoing` reports that span.
//
// A header the caller set explicitly is never overwritten. Opt out per
// scope with withoutPropagation(fn), globally with
// disableOutgoingPropagation() or `outgoingPropagation: false` on a
// middleware. Installing any middleware turns propagation on unless it was
// explicitly disabled before.

const dc = require('node:diagnostics_channel');
const { storage, kNoPropagation, kRequestIdHeader } = require('./context');
const { generateSpanId } = require('./ids');
const { invalidArgType, invalidArgValue } = require('../errors');

const HTTP_CREATED = 'http.client.request.created';
const UNDICI_CREATE = 'undici:request:create';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function hasHttpCreatedChannel() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

const support = Object.freeze({
  http: hasHttpCreatedChannel(),
  fetch: true,
  channels: Object.freeze(hasHttpCreatedChannel() ? [HTTP_CREATED, UNDICI_CREATE] : [UNDICI_CREATE]),
});

const state = {
  enabled: false,
  // Set once the user chose explicitly; middleware then leaves it alone.
  userChose: false,
  requestIdHeader: null, // null: the header the context's middleware used
  propagateRequestId: true,
  onOutgoing: null,
};

// A new span id for one outgoing call, or null outside a request (or inside
// withoutPropagation).
function spanFor(context) {
  if (context === undefined || context[kNoPropagation] === true) return null;
  return generateSpanId();
}

function idHeaderOf(context) {
  return state.requestIdHeader ?? context[kRequestIdHeader] ?? 'X-Request-Id';
}

function report(kind, context, spanId, request) {
  if (state.onOutgoing === null) return;
  try {
    state.onOutgoing({ kind, traceId: context.traceId, spanId, parentSpanId: context.spanId, requestId: context.requestId, request });
  } catch (err) {
    // A throw inside a diagnostics_channel subscriber would be rethrown as
    // an uncaught exception; report it without killing the process.
    process.nextTick(() => process.emitWarning(err));
  }
}

function onHttpClientRequestCreated(message) {
  const context = storage.getStore();
  const spanId = spanFor(context);
  if (spanId === null) return;
  const request = message.request;
  // Headers given as an array are serialized in the constructor already.
  if (request.headersSent) return;
  try {
    if (!request.hasHeader('traceparent')) {
      request.setHeader('traceparent', `00-${context.traceId}-${spanId}-${context.traceFlags}`);
      if (context.traceState !== null && !request.hasHeader('tracestate')) {
        request.setHeader('tracestate', context.traceState);
      }
    }
    const idHeader = idHeaderOf(context);
    if (state.propagateRequestId && !request.hasHeader(idHeader)) request.setHeader(idHeader, context.requestId);
  } catch {
    return; // never break the caller's request over a tracing header
  }
  report('http', context, spanId, request);
}

// undici keeps headers as a flat [name, value, ...] array (Node 20-26) or,
// in some versions, as a raw 'name: value\r\n' string.
function undiciHasHeader(headers, lowerName) {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === lowerName) return true;
    }
    return false;
  }
  if (typeof headers === 'string') {
    const lower = headers.toLowerCase();
    return lower.startsWith(lowerName + ':') || lower.includes('\n' + lowerName + ':');
  }
  return false;
}

function onUndiciRequestCreate(message) {
  const context = storage.getStore();
  const spanId = spanFor(context);
  if (spanId === null) return;
  const request = message.request;
  if (typeof request.addHeader !== 'function') return;
  try {
    if (!undiciHasHeader(request.headers, 'traceparent')) {
      request.addHeader('traceparent', `00-${context.traceId}-${spanId}-${context.traceFlags}`);
      if (context.traceState !== null && !undiciHasHeader(request.headers, 'tracestate')) {
        request.addHeader('tracestate', context.traceState);
      }
    }
    const idHeader = idHeaderOf(context);
    if (state.propagateRequestId && !undiciHasHeader(request.headers, idHeader.toLowerCase())) {
      request.addHeader(idHeader, context.requestId);
    }
  } catch {
    return;
  }
  report('fetch', context, spanId, request);
}

function subscribe() {
  if (state.enabled) return;
  if (support.http) dc.subscribe(HTTP_CREATED, onHttpClientRequestCreated);
  dc.subscribe(UNDICI_CREATE, onUndiciRequestCreate);
  state.enabled = true;
}

function unsubscribe() {
  if (!state.enabled) return;
  if (support.http) dc.unsubscribe(HTTP_CREATED, onHttpClientRequestCreated);
  dc.unsubscribe(UNDICI_CREATE, onUndiciRequestCreate);
  state.enabled = false;
}

/**
 * enableOutgoingPropagation({ enabled = true, requestIdHeader, propagateRequestId = true, onOutgoing })
 * Returns which transports are covered on this Node: { http, fetch, channels }.
 */
function enableOutgoingPropagation(options = {}) {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
  const { enabled = true, requestIdHeader, propagateRequestId = true, onOutgoing = null } = options;
  if (typeof enabled !== 'boolean') throw invalidArgType('options.enabled', 'boolean', enabled);
  if (typeof propagateRequestId !== 'boolean') {
    throw invalidArgType('options.propagateRequestId', 'boolean', propagateRequestId);
  }
  if (requestIdHeader !== undefined) {
    if (typeof requestIdHeader !== 'string') throw invalidArgType('options.requestIdHeader', 'string', requestIdHeader);
    if (!HEADER_NAME.test(requestIdHeader)) throw invalidArgValue('options.requestIdHeader', requestIdHeader, 'must be a valid HTTP header name');
  }
  if (onOutgoing !== null && typeof onOutgoing !== 'function') {
    throw invalidArgType('options.onOutgoing', 'function', onOutgoing);
  }
  state.userChose = true;
  state.requestIdHeader = requestIdHeader === undefined ? null : requestIdHeader;
  state.propagateRequestId = propagateRequestId;
  state.onOutgoing = onOutgoing;
  if (enabled) subscribe();
  else unsubscribe();
  return support;
}

function disableOutgoingPropagation() {
  state.userChose = true;
  unsubscribe();
}

function isOutgoingPropagationEnabled() {
  return state.enabled;
}

// Called by every middleware factory: on by default, unless the user
// already decided, or this middleware opted out.
function enableDefaultPropagation(options) {
  if (options.outgoingPropagation && !state.userChose) subscribe();
}

/**
 * Headers for one outgoing call from the current request (a new client
 * span each call), or {} outside a request. For Node 20 node:http clients
 * and any client that channels do not cover.
 */
function getOutgoingHeaders() {
  const context = storage.getStore();
  const spanId = spanFor(context);
  if (spanId === null) return {};
  const headers = { traceparent: `00-${context.traceId}-${spanId}-${context.traceFlags}` };
  if (context.traceState !== null) headers.tracestate = context.traceState;
  if (state.propagateRequestId) headers[idHeaderOf(context)] = context.requestId;
  report('manual', context, spanId, null);
  return headers;
}

module.exports = {
  enableOutgoingPropagation,
  disableOutgoingPropagation,
  isOutgoingPropagationEnabled,
  enableDefaultPropagation,
  getOutgoingHeaders,
  outgoingPropagationSupport: support,
};
