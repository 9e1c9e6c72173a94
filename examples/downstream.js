'use strict';
// A tiny "downstream service" for the examples: a plain node:http server on
// 127.0.0.1 wrapped with httpContext, so it continues the caller's trace and
// logs with the same trace_id (and its own span, whose parent is the
// caller's outgoing span).

const http = require('node:http');
const { once } = require('node:events');
const pino = require('pino');
const { httpContext, pinoMixin, getRequestContext } = require('..');

// Its own logger (service: downstream); sync so lines print in order.
const logger = pino({ mixin: pinoMixin(), base: { service: 'downstream' }, timestamp: false }, pino.destination({ dest: 1, sync: true }));

async function startDownstream() {
  const server = http.createServer(httpContext((req, res) => {
    logger.info({ path: req.url, parent_span_id: getRequestContext().parentSpanId }, 'downstream handled a call');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true }));
  }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

module.exports = { startDownstream };
