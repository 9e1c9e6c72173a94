'use strict';
// Fastify + request context (plugin) + Fastify's own pino logger.
//
//   node examples/fastify-app.js
//
// Starts the app and a tiny downstream service on 127.0.0.1 (random ports),
// sends 5 requests, prints Fastify's log lines (reqId === request_id, with
// trace fields on every line) and the response headers, then closes.

const Fastify = require('fastify');
const pino = require('pino');
const { fastifyContext, pinoMixin } = require('..');
const { startDownstream } = require('./downstream');

async function main() {
  const downstream = await startDownstream();
  const downstreamUrl = `http://127.0.0.1:${downstream.address().port}`;

  const app = Fastify({
    logger: {
      mixin: pinoMixin(),
      base: { service: 'fastify-app' },
      timestamp: false,
      // Synchronous destination so log lines and the printed responses stay in order.
      stream: pino.destination({ dest: 1, sync: true }),
    },
  });
  await app.register(fastifyContext); // before the routes
  app.get('/users/:id', async (request) => {
    request.log.info({ user: request.params.id }, 'loading user');
    const profile = await (await fetch(`${downstreamUrl}/profiles/${request.params.id}`)).json();
    return { user: request.params.id, profile: profile.ok, requestId: request.id };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.server.address().port}`;

  const calls = [
    ['/users/1', {}],
    ['/users/2', { 'x-request-id': 'mobile-req-991' }],
    ['/users/3', { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }],
    ['/users/4', { traceparent: 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }], // version ff: new trace
    ['/users/5', { 'x-request-id': 'id with spaces' }], // malformed: replaced
  ];
  for (const [path, headers] of calls) {
    const res = await fetch(`${base}${path}`, { headers });
    await res.text();
    console.log(`-> GET ${path} ${JSON.stringify(headers)}\n<- ${res.status} x-request-id: ${res.headers.get('x-request-id')}  traceparent: ${res.headers.get('traceparent')}\n`);
  }

  await app.close();
  downstream.close();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
