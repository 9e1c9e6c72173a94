'use strict';
// Stack: Express 5 + OpenTelemetry tracing SDK (http + express
// instrumentations, AsyncLocalStorageContextManager, in-memory exporter) +
// the request kit (expressContext) + pino with pinoMixin.
//   node [flags] -r <preload> benchmark/stacks/express-otel.js
// GET / awaits a timer, a promise and fs, calls the local downstream
// (FAH_DOWNSTREAM_PORT) over http, logs one line and returns
// { id, downstream, traceId }. Live AsyncLocalStorage instances: 2
// (OpenTelemetry's context manager, the kit's).

const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
const { setupTracing } = require('./lib/otel');

const otel = setupTracing([new HttpInstrumentation(), new ExpressInstrumentation()]);

const http = require('node:http');
const fs = require('node:fs');
const express = require('express');
const pino = require('pino');
const { trace } = require('@opentelemetry/api');
const { expressContext, pinoMixin, getRequestContext } = require('../../lib/request');
const { logSink, withTestEndpoints, start, downstreamPort } = require('./lib/common');

const DOWNSTREAM = downstreamPort();
const logger = pino({ base: undefined, mixin: pinoMixin() }, logSink);

function callDownstream(id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: DOWNSTREAM, path: '/', headers: { 'x-request-id': id } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
  });
}

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(expressContext());
app.get('/', async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await Promise.resolve();
  const stat = await fs.promises.stat(__filename);
  const down = await callDownstream(getRequestContext()?.requestId ?? 'none');
  logger.info({ expect: req.id, size: stat.size }, 'handled');
  otel.trim();
  res.json({ id: getRequestContext()?.requestId, downstream: down.id, traceId: trace.getActiveSpan()?.spanContext().traceId });
});

start(http.createServer(withTestEndpoints(app, otel.spans)));
