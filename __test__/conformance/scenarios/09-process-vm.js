'use strict';
// Process-level handlers (this file only ever runs in a child process) and
// vm contexts.
const vm = require('node:vm');
const { h, scenario, tick, sleep } = require('../harness');

// Installs a temporary process listener for the duration of fn.
async function withListener(event, listener, fn) {
  process.on(event, listener);
  try {
    return await fn();
  } finally {
    process.off(event, listener);
  }
}

scenario('unhandledRejection handler context', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = [];
  await withListener('unhandledRejection', (reason, promise) => {
    if (reason?.tag !== 'conf') return;
    seen.push([reason.from, als.getStore(), promise instanceof Promise]);
  }, async () => {
    als.run('rejector', () => { Promise.reject({ tag: 'conf', from: 'sync reject' }); });
    await als.run('async-fn', async () => {
      (async () => { await tick(); throw { tag: 'conf', from: 'async throw' }; })();
    });
    for (let i = 0; i < 100 && seen.length < 2; i++) await sleep(1);
  });
  seen.sort((a, b) => a[0].localeCompare(b[0]));
  for (const s of seen) r.log(s[0], s.slice(1));
  r.log('count', seen.length);
});

scenario('rejectionHandled and late catch', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = [];
  let p;
  await withListener('unhandledRejection', () => seen.push(['unhandled', als.getStore()]), () =>
    withListener('rejectionHandled', () => seen.push(['handled', als.getStore()]), async () => {
      p = als.run('rejected', () => Promise.reject(new Error('late')));
      await sleep(2);
      als.run('catcher', () => p.catch(() => seen.push(['catch cb', als.getStore()])));
      await sleep(2);
    }));
  for (const [label, v] of seen) r.log(label, v);
});

scenario('uncaughtException handler context (timer, immediate, nextTick)', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = [];
  await withListener('uncaughtException', (err, origin) => {
    if (!err?.conf) return;
    seen.push([err.message, origin, als.getStore()]);
  }, async () => {
    const mk = (msg) => Object.assign(new Error(msg), { conf: true });
    als.run('timer', () => setTimeout(() => { throw mk('from timer'); }, 1));
    await sleep(3);
    als.run('immediate', () => setImmediate(() => { throw mk('from immediate'); }));
    await sleep(3);
    als.run('tick', () => process.nextTick(() => { throw mk('from nextTick'); }));
    await sleep(3);
    als.run('res', () => {
      const res = new h.AsyncResource('Thrower');
      setTimeout(() => res.runInAsyncScope(() => { throw mk('from runInAsyncScope'); }), 1);
    });
    await sleep(3);
    // Store after an uncaught exception in a callback that had entered.
    als.run('entered', () => setTimeout(() => { als.enterWith('changed'); throw mk('after enterWith'); }, 1));
    await sleep(3);
    await new Promise((resolve) => setImmediate(() => {
      seen.push(['next callback after uncaught', 'n/a', als.getStore()]);
      resolve();
    }));
  });
  for (const s of seen) r.log(s[0], s.slice(1));
});

scenario('uncaughtExceptionMonitor context', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = [];
  await withListener('uncaughtExceptionMonitor', (err) => { if (err?.conf) seen.push(['monitor', als.getStore()]); }, () =>
    withListener('uncaughtException', (err) => { if (err?.conf) seen.push(['handler', als.getStore()]); }, async () => {
      als.run('m', () => setTimeout(() => { throw Object.assign(new Error('m'), { conf: true }); }, 1));
      await sleep(3);
    }));
  for (const [label, v] of seen) r.log(label, v);
});

scenario('vm.runInNewContext with promises', async (r) => {
  const als = new h.AsyncLocalStorage();
  const sandbox = { als, log: (label, v) => r.log(label, v), setTimeout, tick };
  const result = await als.run('outer', () => vm.runInNewContext(`
    (async () => {
      log('vm sync', als.getStore());
      await null;
      log('vm after await null', als.getStore());
      await new Promise((resolve) => setTimeout(resolve, 1));
      log('vm after timer', als.getStore());
      await Promise.resolve().then(() => log('vm then', als.getStore()));
      return als.run('in-vm', async () => { await tick(); return als.getStore(); });
    })()
  `, sandbox));
  r.log('result', result);
  r.log('outside', als.getStore());
});

scenario('vm contexts: promise created in the context, awaited outside', async (r) => {
  const als = new h.AsyncLocalStorage();
  const ctx = vm.createContext({ als });
  const p = als.run('created', () => vm.runInContext('Promise.resolve(1).then(() => als.getStore())', ctx));
  r.log('then inside vm-created promise', await p);
  const fnFromVm = vm.runInContext('(async () => { await 0; return als.getStore(); })', ctx);
  r.log('vm async fn called in run', await als.run('called', () => fnFromVm()));
  // microtaskMode: 'afterEvaluate' contexts drain their own queue only while
  // evaluating, so the continuation runs inside runInContext itself.
  const microtaskCtx = vm.createContext({ als, out: [] }, { microtaskMode: 'afterEvaluate' });
  als.run('after-eval', () => vm.runInContext('Promise.resolve().then(() => out.push(als.getStore()))', microtaskCtx));
  r.log('afterEvaluate microtask mode', [...microtaskCtx.out]);
});
