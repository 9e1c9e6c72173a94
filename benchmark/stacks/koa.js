'use strict';
// Stack: Koa + @koa/router + the request kit (koaContext) + pino with
// pinoMixin.
//   node [flags] -r <preload> benchmark/stacks/koa.js
// GET / awaits a promise, a setImmediate hop and fs, logs one line and
// returns { id }. Live AsyncLocalStorage instances: 1 (the kit's).

const http = require('node:http');
const fs = require('node:fs');
const Koa = require('koa');
const { Router } = require('@koa/router');
const pino = require('pino');
const { koaContext, pinoMixin, getRequestContext } = require('../../lib/request');
const { logSink, withTestEndpoints, start } = require('./lib/common');

const logger = pino({ base: undefined, mixin: pinoMixin() }, logSink);

const app = new Koa();
const router = new Router();
app.use(koaContext());
router.get('/', async (ctx) => {
  await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  const stat = await fs.promises.stat(__filename);
  logger.info({ expect: ctx.state.requestId, size: stat.size }, 'handled');
  ctx.body = { id: getRequestContext()?.requestId };
});
app.use(router.routes());

start(http.createServer(withTestEndpoints(app.callback())));
