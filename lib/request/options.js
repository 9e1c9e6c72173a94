'use strict';
// Validates middleware options once, when the middleware is created, and
// returns a frozen normalized copy the per-request path reads without checks.

const { invalidArgType, invalidArgValue } = require('../errors');
const { generateRequestId, validateRequestId } = require('./ids');

// RFC 9110 token: what a header name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const DEFAULTS = Object.freeze({
  requestIdHeader: 'x-request-id',
  requestIdHeaderName: 'X-Request-Id',
  trustRequestId: true,
  trustTraceparent: true,
  generateRequestId: null,
  responseHeaders: true,
  fields: null,
  requestIdValidation: undefined,
  sampled: true,
  outgoingPropagation: true,
});

const normalizedDefaults = Object.freeze({ ...DEFAULTS, [Symbol.for('fast-async-hooks.normalized')]: true });

function checkBoolean(name, value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgType(`options.${name}`, 'boolean', value);
  return value;
}

function checkFunction(name, value) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'function') throw invalidArgType(`options.${name}`, 'function', value);
  return value;
}

// trustIncoming: boolean, or { requestId, traceparent } to trust one only.
function checkTrust(value) {
  if (value === undefined) return [true, true];
  if (typeof value === 'boolean') return [value, value];
  if (value === null || typeof value !== 'object') {
    throw invalidArgType('options.trustIncoming', ['boolean', 'object'], value);
  }
  return [
    checkBoolean('trustIncoming.requestId', value.requestId, true),
    checkBoolean('trustIncoming.traceparent', value.traceparent, true),
  ];
}

function checkRequestIdValidation(value) {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') {
    throw invalidArgType('options.requestIdValidation', 'object', value);
  }
  // ids.js owns the rules for maxLength/pattern; probing once here makes a
  // bad value fail at setup time instead of on the first request.
  validateRequestId('probe', value);
  return Object.freeze({ maxLength: value.maxLength, pattern: value.pattern });
}

// Unknown keys are ignored on purpose: Fastify passes its own plugin options
// (prefix, logLevel, ...) through the same object.
function normalizeOptions(options) {
  if (options === undefined) return normalizedDefaults;
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
  if (options[Symbol.for('fast-async-hooks.normalized')] === true) return options;

  let requestIdHeader = DEFAULTS.requestIdHeader;
  let requestIdHeaderName = DEFAULTS.requestIdHeaderName;
  if (options.requestIdHeader !== undefined) {
    if (typeof options.requestIdHeader !== 'string') {
      throw invalidArgType('options.requestIdHeader', 'string', options.requestIdHeader);
    }
    if (!HEADER_NAME.test(options.requestIdHeader)) {
      throw invalidArgValue('options.requestIdHeader', options.requestIdHeader, 'must be a valid HTTP header name');
    }
    // Node lower-cases incoming header names; what we send keeps the
    // spelling we were given.
    requestIdHeader = options.requestIdHeader.toLowerCase();
    requestIdHeaderName = options.requestIdHeader;
  }

  const [trustRequestId, trustTraceparent] = checkTrust(options.trustIncoming);
  return Object.freeze({
    requestIdHeader,
    requestIdHeaderName,
    trustRequestId,
    trustTraceparent,
    generateRequestId: checkFunction('generateRequestId', options.generateRequestId),
    responseHeaders: checkBoolean('responseHeaders', options.responseHeaders, DEFAULTS.responseHeaders),
    fields: checkFunction('fields', options.fields),
    requestIdValidation: checkRequestIdValidation(options.requestIdValidation),
    sampled: checkBoolean('sampled', options.sampled, DEFAULTS.sampled),
    outgoingPropagation: checkBoolean('outgoingPropagation', options.outgoingPropagation, DEFAULTS.outgoingPropagation),
    [Symbol.for('fast-async-hooks.normalized')]: true,
  });
}

// A custom generator is developer code, but its result still ends up in a
// response header: anything that is not a valid id is replaced by a UUID v7
// (with a one-time warning) instead of failing the request.
let warnedBadGenerator = false;
function newRequestId(options, req) {
  const custom = options.generateRequestId;
  if (custom === null) return generateRequestId();
  const id = validateRequestId(custom(req), options.requestIdValidation);
  if (id !== null) return id;
  if (!warnedBadGenerator) {
    warnedBadGenerator = true;
    process.emitWarning('options.generateRequestId returned an invalid request id; a UUID v7 was used instead',
      { code: 'FAST_ASYNC_HOOKS_BAD_REQUEST_ID' });
  }
  return generateRequestId();
}

module.exports = { normalizeOptions, newRequestId };
