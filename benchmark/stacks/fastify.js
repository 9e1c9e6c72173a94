'use strict';
// Stack: Fastify 5 + @fastify/request-context + the request kit
// (fastifyContext; Fastify's pino logger with pinoMixin).
//   node [flags] -r <preload> benchmark/stacks/fastify.js
// A preHandler hook stores the user in @fastify/request-context; GET /
// awaits a promise, a setImmediate hop and fs, reads the user back, logs one
// line and returns { id, user }. Fastify itself logs 'incoming request' and
// 'request completed'. Live AsyncLocalStorage instances: 2
// (@fastify/request-context's, the kit's).

const http = require('node:http');
const fs = require('node:fs');
const Fastify = require('fastify');
const { fastifyRequestContext, requestContext } = require('@fastify/request-context');
const { fastifyContext, pinoMixin, getRequestContext } = require('../../lib/request');
const { logSink, withTestEndpoints, start } = require('./lib/common');

let server;
const app = Fastify({
  logger: { base: undefined, mixin: pinoMixin(), stream: logSink },
  serverFactory(handler) {
    server = http.createServer(withTestEndpoints(handler));
    return server;
  },
});
app.register(fastifyContext);
app.register(fastifyRequestContext);
app.addHook('preHandler', async (request) => {
  request.requestContext.set('user', { id: `user-of-${request.id}` });
});
app.get('/', async (request) => {
  await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  const stat = await fs.promises.stat(__filename);
  const user = requestContext.get('user');
  request.log.info({ expect: request.id, size: stat.size }, 'handled');
  return { id: getRequestContext()?.requestId, user: user?.id };
});

app.ready().then(() => start(server), (err) => { throw err; });
