'use strict';
// Thread-pool and multi-context work: zlib, crypto, dns, child_process,
// http keep-alive reuse, fetch, MessageChannel, diagnostics_channel stores,
// worker threads loading the implementation.
const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const dc = require('node:diagnostics_channel');
const dns = require('node:dns');
const http = require('node:http');
const { MessageChannel, Worker } = require('node:worker_threads');
const zlib = require('node:zlib');
const { h, scenario, tick } = require('../harness');
const { resolveImpl } = require('../impl');

scenario('thread pool callbacks: zlib, crypto, dns.lookup', async (r) => {
  const als = new h.AsyncLocalStorage();
  r.log('zlib.gzip', await new Promise((resolve) => als.run('gzip', () => zlib.gzip('data', (err) => resolve([err ?? null, als.getStore()])))));
  r.log('crypto.randomBytes', await new Promise((resolve) => als.run('random', () => crypto.randomBytes(8, (err) => resolve([err ?? null, als.getStore()])))));
  r.log('crypto.pbkdf2', await new Promise((resolve) => als.run('pbkdf2', () => crypto.pbkdf2('p', 's', 1, 8, 'sha256', (err) => resolve([err ?? null, als.getStore()])))));
  r.log('dns.lookup', await new Promise((resolve) => als.run('dns', () => dns.lookup('127.0.0.1', (err) => resolve([err?.code ?? null, als.getStore()])))));
  r.log('dns.promises.lookup', await als.run('dnsp', async () => { await dns.promises.lookup('127.0.0.1'); return als.getStore(); }));
  const gunzip = als.run('stream', () => zlib.createGunzip());
  r.log('zlib stream error', await new Promise((resolve) => {
    gunzip.on('error', (e) => resolve([e.code, als.getStore()]));
    als.run('writer', () => gunzip.end('not gzip'));
  }));
});

scenario('child_process.execFile callback', async (r) => {
  const als = new h.AsyncLocalStorage();
  // One spawn (they are slow on a busy machine): callback and exit event.
  let onExit;
  const exited = new Promise((resolve) => { onExit = resolve; });
  r.log('execFile', await new Promise((resolve) => als.run('exec', () => {
    const child = childProcess.execFile(process.execPath, ['-e', 'process.stdout.write("x")'],
      (err, out) => resolve([err ?? null, out, als.getStore()]));
    als.run('exit-listener', () => child.on('exit', (code) => onExit([code, als.getStore()])));
  })));
  r.log('exit event', await exited);
}, { timeout: 20_000 });

scenario('http keep-alive: reused sockets keep each request in its caller context', async (r) => {
  const als = new h.AsyncLocalStorage();
  const server = http.createServer((req, res) => res.end(req.url));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { port } = server.address();
  const get = (p) => als.run(`caller ${p}`, () => new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, agent }, (res) => {
      const inResponse = als.getStore();
      res.resume();
      res.on('end', () => resolve([p, inResponse, als.getStore()]));
    });
    req.on('socket', () => { req.socketSeen = als.getStore(); });
    req.on('error', reject);
  }));
  const results = [];
  for (const p of ['/1', '/2', '/3']) results.push(await get(p));
  r.log('sequential on one socket', results);
  r.log('parallel, queued on one socket', await Promise.all(['/a', '/b', '/c'].map(get)));
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
});

scenario('fetch against a local server', async (r) => {
  const als = new h.AsyncLocalStorage();
  const server = http.createServer((req, res) => res.end('body'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const results = await Promise.all(['f1', 'f2'].map((label) => als.run(label, async () => {
    const res = await fetch(url);
    const afterHeaders = als.getStore();
    const text = await res.text();
    return [text, afterHeaders, als.getStore()];
  })));
  r.log('fetch', results);
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}, { timeout: 20_000 });

scenario('MessageChannel and structured clone callbacks', async (r) => {
  const als = new h.AsyncLocalStorage();
  const { port1, port2 } = new MessageChannel();
  r.log('onmessage', await new Promise((resolve) => {
    als.run('listener', () => { port2.onmessage = (e) => resolve([e.data, als.getStore()]); });
    als.run('poster', () => port1.postMessage('m'));
  }));
  port2.onmessage = null;
  r.log('on("message")', await new Promise((resolve) => {
    als.run('listener2', () => port2.once('message', (d) => resolve([d, als.getStore()])));
    als.run('poster2', () => port1.postMessage('n'));
  }));
  port1.close();
  port2.close();
});

scenario('diagnostics_channel bindStore / runStores', async (r) => {
  const als = new h.AsyncLocalStorage();
  const ch = dc.channel(`fah-conformance-${process.pid}`);
  ch.bindStore(als, (msg) => ({ fromMessage: msg.v }));
  const seen = [];
  const onMessage = (msg) => seen.push(['subscriber', msg.v, als.getStore()]);
  ch.subscribe(onMessage);
  const ret = ch.runStores({ v: 1 }, async (x) => {
    seen.push(['inside', x, als.getStore()]);
    await tick();
    seen.push(['inside after await', als.getStore()]);
    return 'ret';
  }, undefined, 'arg');
  seen.push(['after runStores', als.getStore()]);
  r.log('return', await ret);
  ch.unsubscribe(onMessage);
  r.log('unbind', ch.unbindStore(als));
  ch.runStores({ v: 2 }, () => seen.push(['after unbind', als.getStore()]));
  for (const [label, ...rest] of seen) r.log(label, rest);
  if (typeof dc.tracingChannel === 'function') {
    const tc = dc.tracingChannel(`fah-conformance-tc-${process.pid}`);
    tc.start.bindStore(als, (ctx) => ctx.id);
    const v = await tc.tracePromise(async () => { await tick(); return als.getStore(); }, { id: 'traced' });
    r.log('tracingChannel.tracePromise', v);
    r.log('after trace', als.getStore());
    tc.start.unbindStore(als);
  }
});

scenario('worker thread loads the implementation and propagates', async (r) => {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const h = require(workerData.impl);
    const als = new h.AsyncLocalStorage();
    als.run('in-worker', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const afterTimer = als.getStore();
      await null;
      parentPort.postMessage([afterTimer, als.getStore(), typeof h.createHook, h.executionAsyncId() > 0]);
    });
  `;
  const result = await new Promise((resolve, reject) => {
    const w = new Worker(source, { eval: true, workerData: { impl: resolveImpl(process.env.IMPL) } });
    w.once('message', (m) => { resolve(m); w.terminate(); });
    w.once('error', (e) => resolve({ workerError: [e.name, e.code, e.message] }));
  });
  r.log('worker result', result);
  // A second worker in the same process (the addon must load twice).
  const second = await new Promise((resolve) => {
    const w = new Worker(`
      const { parentPort, workerData } = require('node:worker_threads');
      const h = require(workerData.impl);
      const als = new h.AsyncLocalStorage();
      parentPort.postMessage(als.run(2, () => als.getStore()));
    `, { eval: true, workerData: { impl: resolveImpl(process.env.IMPL) } });
    w.once('message', (m) => { resolve(m); w.terminate(); });
    w.once('error', (e) => resolve({ workerError: [e.name, e.code, e.message] }));
  });
  r.log('second worker', second);
}, { timeout: 20_000 });
