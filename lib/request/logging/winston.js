'use strict';
// winston integration: `format: winston.format.combine(winstonFormat(), ...)`.
// A winston format is any object with transform(info), so winston is not a
// dependency of this package.

const { storage } = require('../context');

function addRequestFields(info) {
  const context = storage.getStore();
  if (context !== undefined) {
    info.trace_id = context.traceId;
    info.span_id = context.spanId;
    info.trace_flags = context.traceFlags;
    info.request_id = context.requestId;
  }
  return info;
}

const format = Object.freeze({ transform: addRequestFields, options: Object.freeze({}) });

/** A winston format adding trace_id, span_id, trace_flags, request_id. */
function winstonFormat() {
  return format;
}

module.exports = { winstonFormat };
