'use strict';
// OpenTelemetry tracing as an app sets it up: NodeTracerProvider with the
// AsyncLocalStorageContextManager (one AsyncLocalStorage instance), a
// SimpleSpanProcessor into an in-memory exporter, and the given
// instrumentations. Must run before the instrumented modules are required.

const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { trace } = require('@opentelemetry/api');

// The exporter keeps every finished span; past this many it is emptied so a
// long benchmark run does not grow the heap (same on every side).
const KEEP_SPANS = 2000;

function setupTracing(instrumentations) {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  registerInstrumentations({ instrumentations });
  function trim() {
    if (exporter.getFinishedSpans().length > KEEP_SPANS) exporter.reset();
  }
  // Span trees for the fidelity checks: per trace, each span as
  // { name, kind, parent: name of its parent span or null }.
  function spans() {
    const all = exporter.getFinishedSpans();
    exporter.reset();
    const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
    return all.map((s) => {
      const parentId = s.parentSpanContext ? s.parentSpanContext.spanId : s.parentSpanId;
      const parent = parentId ? byId.get(parentId) : undefined;
      return {
        traceId: s.spanContext().traceId,
        name: s.name,
        kind: s.kind,
        parent: parent ? parent.name : (parentId ? '(remote or unfinished)' : null),
      };
    });
  }
  return { tracer: trace.getTracer('fah-stacks'), trim, spans };
}

module.exports = { setupTracing };
