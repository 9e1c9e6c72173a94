'use strict';
// Koa + @koa/router + request context + pino + a downstream call.
//
//   node examples/koa-app.js
//
// Starts the app and a tiny downstream service on 127.0.0.1 (random ports),
// sends 5 requests (one of them fails on purpose to show app.on('error')
// logging inside the request), prints the log lines and response headers,
// then closes everything.

const { once } = require('node:events');
const Koa = require('koa');
const Router = require('@koa/router');
const pino = require('pino');
const { koaContext, pinoMixin } = require('..');
const { startDownstream } = require('./downstream');

// Synchronous destination so log lines and the printed responses stay in order.
const logger = pino({ mixin: pinoMixin(), base: { service: 'koa-app' }, timestamp: false }, pino.destination({ dest: 1, sync: true }));

async function main() {
  const downstream = await startDownstream();
  const downstreamUrl = `http://127.0.0.1:${downstream.address().port}`;

  const app = new Koa();
  const router = new Router();
  app.use(koaContext()); // first: everything after it runs in the request context
  router.get('/orders/:id', async (ctx) => {
    logger.info({ order: ctx.params.id }, 'loading order');
    const stock = await (await fetch(`${downstreamUrl}/stock/${ctx.params.id}`)).json();
    ctx.body = { order: ctx.params.id, stock: stock.ok, requestId: ctx.state.requestId };
  });
  router.get('/fail', async () => {
    throw new Error('something broke');
  });
  app.use(router.routes());
  app.silent = true;
  // Runs inside the failing request's context: the log line has its ids.
  app.on('error', (err) => logger.error({ err: err.message }, 'request failed'));

  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;

  const calls = [
    ['/orders/1', {}],
    ['/orders/2', { 'x-request-id': 'checkout-7f3a' }],
    ['/orders/3', { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }],
    ['/orders/4', { 'x-request-id': 'x'.repeat(500) }], // oversized: replaced
    ['/fail', { 'x-request-id': 'will-fail-1' }],
  ];
  for (const [path, headers] of calls) {
    const res = await fetch(`${base}${path}`, { headers });
    await res.text();
    console.log(`-> GET ${path} ${JSON.stringify(headers).slice(0, 80)}\n<- ${res.status} x-request-id: ${res.headers.get('x-request-id')}  traceparent: ${res.headers.get('traceparent')}\n`);
  }

  server.close();
  downstream.close();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
