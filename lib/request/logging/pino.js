'use strict';
// pino integration: `pino({ mixin: pinoMixin() })`.
// Field names follow the OpenTelemetry log data model.

const { storage, kLoggerContext } = require('../context');

// pino's default mixin merge does Object.assign(mixinResult, logArgs), so the
// returned object is mutated: it must be fresh on every call.
// pino passes the logging (child) logger third: a request's child logger
// can carry its context for lines written before the context is entered
// (Fastify's 'incoming request').
function requestLogFields(mergeObject, level, logger) {
  let context = storage.getStore();
  if (context === undefined) {
    context = logger == null ? undefined : logger[kLoggerContext];
    if (context === undefined) return {};
  }
  return {
    trace_id: context.traceId,
    span_id: context.spanId,
    trace_flags: context.traceFlags,
    request_id: context.requestId,
  };
}

/** Returns a function for pino's `mixin` option. */
function pinoMixin() {
  return requestLogFields;
}

module.exports = { pinoMixin, requestLogFields };
