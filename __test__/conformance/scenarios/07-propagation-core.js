'use strict';
// Propagation through promises, async/await, thenables, ticks, timers,
// EventEmitter, util.promisify, events.once and timers/promises.
const EventEmitter = require('node:events');
const util = require('node:util');
const timersPromises = require('node:timers/promises');
const { h, scenario, tick, sleep } = require('../harness');

scenario('promises: then/catch/finally callbacks see the store of then() call', async (r) => {
  const als = new h.AsyncLocalStorage();
  let resolveOuter;
  const p = als.run('creator', () => new Promise((resolve) => { resolveOuter = resolve; }));
  const chained = als.run('subscriber', () => p.then((v) => [v, als.getStore()]));
  const failed = als.run('catcher', () => Promise.reject(new Error('e')).catch(() => als.getStore()));
  const fin = als.run('finally', () => Promise.resolve().finally(() => r.log('finally cb', als.getStore())));
  als.run('resolver', () => resolveOuter('v'));
  r.log('then', await chained);
  r.log('catch', await failed);
  await fin;
  r.log('after awaits', als.getStore());
});

scenario('async/await: store across awaits, nested async fns, return', async (r) => {
  const als = new h.AsyncLocalStorage();
  async function inner(label) {
    r.log(`${label} sync`, als.getStore());
    await null;
    r.log(`${label} after await null`, als.getStore());
    await tick();
    r.log(`${label} after tick`, als.getStore());
    return als.getStore();
  }
  const results = await Promise.all([
    als.run('A', () => inner('A')),
    als.run('B', () => inner('B')),
  ]);
  r.log('results', results);
  r.log('caller', als.getStore());
  const v = await als.run('C', async () => {
    const x = await inner('C');
    als.enterWith('C2');
    return [x, await inner('C2')];
  });
  r.log('C', v);
  r.log('caller after C', als.getStore());
});

scenario('async/await: enterWith inside async function before first await leaks to caller', async (r) => {
  const als = new h.AsyncLocalStorage();
  async function setter() {
    als.enterWith('from-async-fn');
    await null;
    r.log('setter after await', als.getStore());
  }
  await als.run('caller', async () => {
    const p = setter();
    r.log('caller sync after call', als.getStore());
    await p;
    r.log('caller after await', als.getStore());
  });
  async function setterAfterAwait() {
    await null;
    als.enterWith('late');
  }
  await als.run('caller2', async () => {
    await setterAfterAwait();
    r.log('caller2 after await of late setter', als.getStore());
  });
});

scenario('thenables: custom then and await of thenable', async (r) => {
  const als = new h.AsyncLocalStorage();
  const thenable = als.run('thenable-created', () => ({
    then(resolve) {
      r.log('then() called with', als.getStore());
      setImmediate(() => resolve(als.getStore()));
    },
  }));
  r.log('await thenable', await als.run('awaiter', async () => [await thenable, als.getStore()]));
  const viaResolve = als.run('resolve-caller', () => Promise.resolve(thenable));
  r.log('Promise.resolve(thenable)', await viaResolve);
  const syncThenable = { then(res) { res(als.getStore()); } };
  r.log('sync thenable', await als.run('sync', async () => await syncThenable));
});

scenario('process.nextTick and queueMicrotask', async (r) => {
  const als = new h.AsyncLocalStorage();
  await new Promise((resolve) => {
    als.run('tick', () => process.nextTick((a, b) => {
      r.log('nextTick', [als.getStore(), a, b]);
      als.run('nested-tick', () => process.nextTick(() => {
        r.log('nested nextTick', als.getStore());
        resolve();
      }));
    }, 1, 2));
  });
  await new Promise((resolve) => {
    als.run('micro', () => queueMicrotask(() => {
      r.log('queueMicrotask', als.getStore());
      resolve();
    }));
  });
  r.attempt('queueMicrotask non-function', () => als.run('m', () => queueMicrotask(1)));
});

scenario('timers: setTimeout, setImmediate, clearTimeout, refresh', async (r) => {
  const als = new h.AsyncLocalStorage();
  // Timeout vs immediate order is up to the event loop: compare values only.
  const [timeout, immediate] = await Promise.all([
    new Promise((resolve) => als.run('timeout', () => setTimeout((x) => resolve([als.getStore(), x]), 1, 'arg'))),
    new Promise((resolve) => als.run('immediate', () => setImmediate((x) => resolve([als.getStore(), x]), 'arg'))),
  ]);
  r.log('timeout', timeout);
  r.log('immediate', immediate);
  const t = als.run('refreshed-at-creation', () => setTimeout(() => {}, 1000));
  clearTimeout(t);
  await new Promise((resolve) => {
    const timer = als.run('created', () => setTimeout(() => { r.log('refreshed timer', als.getStore()); resolve(); }, 2));
    als.run('refresher', () => timer.refresh());
  });
});

scenario('timers: setInterval ticks and enterWith persistence across ticks', async (r) => {
  const als = new h.AsyncLocalStorage();
  await new Promise((resolve) => {
    let n = 0;
    const iv = als.run('interval', () => setInterval(() => {
      n++;
      r.log(`tick ${n}`, als.getStore());
      als.enterWith(`entered in tick ${n}`);
      if (n === 3) { clearInterval(iv); resolve(); }
    }, 1));
  });
  await new Promise((resolve) => {
    let n = 0;
    const iv = als.run('interval2', () => setInterval(() => {
      n++;
      als.run(`run in tick ${n}`, () => {});
      r.log(`run-only tick ${n}`, als.getStore());
      if (n === 2) { clearInterval(iv); resolve(); }
    }, 1));
  });
});

scenario('timers: enterWith inside setTimeout/setImmediate callbacks', async (r) => {
  const als = new h.AsyncLocalStorage();
  await new Promise((resolve) => als.run('t', () => setTimeout(() => {
    als.enterWith('entered');
    r.log('timer after enterWith', als.getStore());
    setImmediate(() => {
      r.log('immediate scheduled after enterWith', als.getStore());
      resolve();
    });
  }, 1)));
  r.log('scenario after', als.getStore());
});

scenario('EventEmitter: listeners run in the emit-time context', async (r) => {
  const als = new h.AsyncLocalStorage();
  const ee = als.run('constructed', () => new EventEmitter());
  als.run('added', () => ee.on('x', (v) => r.log('listener', [v, als.getStore()])));
  ee.once('x', () => r.log('once listener', als.getStore()));
  als.run('emit1', () => ee.emit('x', 1));
  ee.emit('x', 2);
  await als.run('emit3', async () => { await tick(); ee.emit('x', 3); });
  const bound = new EventEmitter();
  const listener = als.run('bound-at-add', () => h.AsyncLocalStorage.bind(() => r.log('bound listener', als.getStore())));
  bound.on('y', listener);
  als.run('emit-bound', () => bound.emit('y'));
  r.attempt('error event without listener', () => als.run('err', () => ee.emit('error', new Error('unhandled ee'))));
});

scenario('events.once and EventEmitter.on async iterator', async (r) => {
  const als = new h.AsyncLocalStorage();
  const ee = new EventEmitter();
  const waiter = als.run('waiter', async () => {
    const [v] = await EventEmitter.once(ee, 'go');
    return [v, als.getStore()];
  });
  await tick();
  als.run('emitter', () => ee.emit('go', 'val'));
  r.log('once', await waiter);
  const iterDone = als.run('iter', async () => {
    const out = [];
    for await (const [v] of EventEmitter.on(ee, 'item')) {
      out.push([v, als.getStore()]);
      if (out.length === 2) break;
    }
    return out;
  });
  await tick();
  als.run('e1', () => ee.emit('item', 1));
  await tick();
  als.run('e2', () => ee.emit('item', 2));
  r.log('on iterator', await iterDone);
});

scenario('util.promisify and callback APIs', async (r) => {
  const als = new h.AsyncLocalStorage();
  function cbApi(x, cb) { setImmediate(() => cb(null, [x, als.getStore()])); }
  const p = util.promisify(cbApi);
  r.log('promisified', await als.run('p', async () => [await p(1), als.getStore()]));
  const sleepP = util.promisify(setTimeout);
  r.log('promisified setTimeout', await als.run('st', async () => { await sleepP(1); return als.getStore(); }));
  const cbFn = util.callbackify(async () => als.getStore());
  await new Promise((resolve) => als.run('cbify', () => cbFn((err, v) => {
    r.log('callbackify result', v);
    r.log('callbackify cb store', als.getStore());
    resolve();
  })));
});

scenario('timers/promises: setTimeout, setImmediate, setInterval', async (r) => {
  const als = new h.AsyncLocalStorage();
  r.log('setTimeout', await als.run('tp', async () => { const v = await timersPromises.setTimeout(1, 'v'); return [v, als.getStore()]; }));
  r.log('setImmediate', await als.run('ip', async () => { await timersPromises.setImmediate(); return als.getStore(); }));
  r.log('setInterval', await als.run('iv', async () => {
    const out = [];
    for await (const v of timersPromises.setInterval(1, 'i')) {
      out.push([v, als.getStore()]);
      if (out.length === 2) break;
    }
    return out;
  }));
  const ac = new AbortController();
  const aborted = als.run('abort', () => timersPromises.setTimeout(1000, null, { signal: ac.signal }).catch((e) => [e.name, e.code, als.getStore()]));
  als.run('aborter', () => ac.abort());
  r.log('aborted', await aborted);
});

scenario('Promise combinators and async generators', async (r) => {
  const als = new h.AsyncLocalStorage();
  const mk = (label, ms) => als.run(label, async () => { await sleep(ms); return als.getStore(); });
  r.log('all', await als.run('all', () => Promise.all([mk('a', 2), mk('b', 1)])));
  r.log('race', await Promise.race([mk('r1', 3), mk('r2', 1)]));
  r.log('allSettled', await Promise.allSettled([mk('s', 1), als.run('rej', () => Promise.reject(new Error('no')))]).then((x) => x.map((y) => y.status)));
  r.log('any', await Promise.any([als.run('x', () => Promise.reject(new Error('no'))), mk('any', 1)]));
  async function* gen() {
    yield als.getStore();
    await tick();
    yield als.getStore();
  }
  const g = als.run('gen-created', () => gen());
  const out = [];
  out.push((await als.run('next1', () => g.next())).value);
  out.push((await als.run('next2', () => g.next())).value);
  r.log('async generator', out);
  if (typeof Promise.withResolvers === 'function') {
    const { promise, resolve } = als.run('wr', () => Promise.withResolvers());
    const sub = als.run('wr-sub', () => promise.then(() => als.getStore()));
    als.run('wr-res', () => resolve());
    r.log('withResolvers', await sub);
  }
});

scenario('AbortSignal and EventTarget listeners', async (r) => {
  const als = new h.AsyncLocalStorage();
  const ac = new AbortController();
  als.run('listener-added', () => ac.signal.addEventListener('abort', () => r.log('abort listener', als.getStore())));
  als.run('aborter', () => ac.abort());
  const et = new EventTarget();
  als.run('added', () => et.addEventListener('e', () => r.log('EventTarget listener', als.getStore())));
  als.run('dispatch', () => et.dispatchEvent(new Event('e')));
  const timeoutSignal = als.run('ts', () => AbortSignal.timeout(1));
  await new Promise((resolve) => timeoutSignal.addEventListener('abort', () => {
    r.log('AbortSignal.timeout listener', als.getStore());
    resolve();
  }));
});
