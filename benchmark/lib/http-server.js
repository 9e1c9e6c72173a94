'use strict';
// One benchmark server, started by benchmark/http.js with child_process.fork:
//
//   node [flags] [-r <root>/register.js] benchmark/lib/http-server.js <express|koa> <impl> <instances>
//
// impl: builtin | ours | cls | register (register = the built-in code path,
// i.e. require('node:async_hooks').AsyncLocalStorage, in a process started
// with -r fast-async-hooks/register). Listens on 127.0.0.1 port 0 and sends
// { port } to the parent. Exits when the parent disconnects or after
// MAX_LIFETIME_MS, whichever comes first.
//
// Started without an IPC channel (benchmark/http-instructions.js runs it
// under valgrind with plain spawn), it prints one JSON line { port, pid } on
// stdout instead. With FAH_HTTP_EXIT_AFTER=<n> in the environment it exits
// (code 0) as soon as the n-th response has been handed to the socket, so an
// instruction count covers exactly n requests plus start-up and exit.
//
// Per request: middleware enters `instances` stores (store 0 holds the
// request id, the others stand for other libraries' stores), the handler
// awaits twice (a resolved promise and a setImmediate hop), reads every
// store, logs one line through pino (mixin reads the request id from the
// store; destination is a no-op stream) and returns { id }.

const { randomUUID } = require('node:crypto');
const { loadImpl, enterAll, ROOT } = require('./impls');

const MAX_LIFETIME_MS = 15 * 60 * 1000;

const [framework, implName, instancesArg] = process.argv.slice(2);
const instances = Number(instancesArg) || 1;
const impl = loadImpl(implName === 'register' ? 'builtin' : implName);
if (implName === 'register') {
  // -r register.js must have swapped the built-in export for ours.
  const ours = require(require('node:path').join(ROOT, 'lib', 'async_hooks')).AsyncLocalStorage;
  if (require('node:async_hooks').AsyncLocalStorage !== ours) throw new Error('register.js did not replace AsyncLocalStorage');
}
const storages = Array.from({ length: instances }, () => impl.create());
const requestStorage = storages[0];

const pino = require('pino');
const logger = pino({
  base: undefined,
  mixin() {
    const s = requestStorage.getStore();
    return s ? { traceId: s.id } : {};
  },
}, { write() {} });

function storesFor(id) {
  const stores = [{ id }];
  for (let i = 1; i < instances; i++) stores.push({ lib: i });
  return stores;
}

async function handle() {
  await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < storages.length; i++) {
    if (storages[i].getStore() === undefined) throw new Error(`store ${i} lost`);
  }
  logger.info('handled');
  return { id: requestStorage.getStore().id };
}

function requestId(header) {
  return typeof header === 'string' && header ? header : randomUUID();
}

function expressApp() {
  const express = require('express');
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req, res, next) => enterAll(storages, storesFor(requestId(req.headers['x-request-id'])), next));
  app.get('/', async (req, res) => {
    res.json(await handle());
  });
  return app;
}

function koaApp() {
  const Koa = require('koa');
  const { Router } = require('@koa/router');
  const app = new Koa();
  const router = new Router();
  app.use((ctx, next) => enterAll(storages, storesFor(requestId(ctx.get('x-request-id'))), next));
  router.get('/', async (ctx) => {
    ctx.body = await handle();
  });
  app.use(router.routes());
  return app;
}

const app = framework === 'koa' ? koaApp() : expressApp();
const server = require('node:http').createServer(framework === 'koa' ? app.callback() : app);
server.keepAliveTimeout = 60000;
require('./exit-after').exitAfterResponses(server);
server.listen(0, '127.0.0.1', () => {
  const ready = { port: server.address().port, pid: process.pid };
  if (process.send) process.send(ready);
  else process.stdout.write(`${JSON.stringify(ready)}\n`);
});

const stop = () => {
  server.close();
  process.exit(0);
};
process.on('disconnect', stop);
// The driver asks for this process's CPU time around every load run.
process.on('message', (m) => {
  if (m && m.type === 'cpu') process.send({ type: 'cpu', seq: m.seq, usage: process.cpuUsage() });
});
setTimeout(stop, MAX_LIFETIME_MS).unref();
