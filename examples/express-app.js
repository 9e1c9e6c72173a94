'use strict';
// Express + request context + pino + a downstream call, in one process.
//
//   node examples/express-app.js
//
// Starts the app and a tiny downstream service on 127.0.0.1 (random ports),
// sends 5 requests (with and without incoming ids, one malformed), prints
// the pino log lines and the response headers, then closes everything.
// Every log line of one request shares its trace_id/request_id; the
// downstream's lines carry the same trace_id.

const http = require('node:http');
const { once } = require('node:events');
const express = require('express');
const pino = require('pino');
const { expressContext, pinoMixin, getOutgoingHeaders, outgoingPropagationSupport } = require('..');
const { startDownstream } = require('./downstream');

// Synchronous destination so log lines and the printed responses stay in order.
const logger = pino({ mixin: pinoMixin(), base: { service: 'express-app' }, timestamp: false }, pino.destination({ dest: 1, sync: true }));

function httpGetJson(url) {
  // Node >= 22.12 adds traceparent/X-Request-Id through diagnostics_channel;
  // Node 20 has no such channel for node:http, so add them by hand there.
  const headers = outgoingPropagationSupport.http ? {} : getOutgoingHeaders();
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

async function main() {
  const downstream = await startDownstream();
  const downstreamUrl = `http://127.0.0.1:${downstream.address().port}`;

  const app = express();
  app.use(expressContext()); // first: everything after it runs in the request context
  app.use(express.json());
  app.get('/hello', async (req, res) => {
    logger.info({ path: req.path }, 'handling /hello');
    const viaFetch = await (await fetch(`${downstreamUrl}/from-fetch`)).json();
    const viaHttp = await httpGetJson(`${downstreamUrl}/from-http`);
    logger.info({ viaFetch: viaFetch.ok, viaHttp: viaHttp.ok }, 'downstream calls done');
    res.json({ requestId: req.id });
  });

  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;

  const requests = [
    {},
    { 'x-request-id': 'client-chosen-id-42' },
    { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    { 'x-request-id': 'bad id <script>' }, // malformed: replaced, never echoed
    { traceparent: '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01' }, // uppercase: invalid, new trace
  ];
  for (const headers of requests) {
    const res = await fetch(`${base}/hello`, { headers });
    await res.text();
    console.log(`-> sent ${JSON.stringify(headers)}\n<- x-request-id: ${res.headers.get('x-request-id')}  traceparent: ${res.headers.get('traceparent')}\n`);
  }

  server.close();
  downstream.close();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
