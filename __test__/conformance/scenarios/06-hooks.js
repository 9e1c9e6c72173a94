'use strict';
// createHook / AsyncHook and the execution/trigger id getters, alone and
// combined with AsyncLocalStorage (ours must not add or hide resources).
const { h, scenario, tick, sleep } = require('../harness');

scenario('createHook: validation', (r) => {
  for (const cb of ['init', 'before', 'after', 'destroy', 'promiseResolve']) {
    r.attempt(`${cb}: 1`, () => h.createHook({ [cb]: 1 }));
    r.attempt(`${cb}: null`, () => h.createHook({ [cb]: null }));
  }
  r.attempt('no argument', () => h.createHook());
  r.attempt('null', () => h.createHook(null));
  r.attempt('empty object', () => typeof h.createHook({}));
  r.attempt('string', () => typeof h.createHook('x'));
});

scenario('createHook: trackPromises validation', (r) => {
  r.attempt('trackPromises 1', () => h.createHook({ trackPromises: 1 }));
  r.attempt('trackPromises "yes"', () => h.createHook({ trackPromises: 'yes' }));
  r.attempt('false + promiseResolve', () => h.createHook({ trackPromises: false, promiseResolve() {} }));
  r.attempt('true + promiseResolve', () => typeof h.createHook({ trackPromises: true, promiseResolve() {} }));
  r.attempt('false alone', () => typeof h.createHook({ trackPromises: false }));
}, { requires: 'trackPromises' });

scenario('createHook: trackPromises false hides promise inits', async (r) => {
  const types = [];
  const hook = h.createHook({ trackPromises: false, init(id, type) { types.push(type); } }).enable();
  await Promise.resolve(1).then(() => 2);
  await new Promise((resolve) => setTimeout(resolve, 1));
  hook.disable();
  r.log('types', types);
}, { requires: 'trackPromises' });

scenario('AsyncHook: enable/disable return values and idempotence', (r) => {
  const hook = h.createHook({ init() {} });
  r.log('enable returns hook', hook.enable() === hook);
  r.log('enable twice', hook.enable() === hook);
  r.log('disable returns hook', hook.disable() === hook);
  r.log('disable twice', hook.disable() === hook);
  r.log('class name', hook.constructor.name);
  const empty = h.createHook({});
  r.log('empty enable', empty.enable() === empty);
  empty.disable();
});

scenario('hooks: init/before/after/destroy for a user AsyncResource', async (r) => {
  const events = [];
  let mine;
  const hook = h.createHook({
    init(id, type, trigger, resource) {
      if (type === 'ConfRes') events.push(['init', r.id(id), type, r.id(trigger), resource === mine || resource instanceof h.AsyncResource]);
    },
    before(id) { if (ids.has(id)) events.push(['before', r.id(id)]); },
    after(id) { if (ids.has(id)) events.push(['after', r.id(id)]); },
    destroy(id) { if (ids.has(id)) events.push(['destroy', r.id(id)]); },
  });
  const ids = new Set();
  hook.enable();
  mine = new h.AsyncResource('ConfRes');
  ids.add(mine.asyncId());
  r.raw('trigger is eid', mine.triggerAsyncId() === h.executionAsyncId());
  mine.runInAsyncScope(() => {
    events.push(['in scope', r.id(h.executionAsyncId())]);
    mine.runInAsyncScope(() => events.push(['nested scope', r.id(h.executionAsyncId())]));
  });
  try { mine.runInAsyncScope(() => { throw new Error('x'); }); } catch { events.push(['caught']); }
  mine.emitDestroy();
  await tick();
  await tick();
  hook.disable();
  for (const e of events) r.raw(e[0], e.slice(1));
});

scenario('hooks: timer, immediate, nextTick, microtask resources', async (r) => {
  const events = [];
  // Destroy hooks run from a native queue whose timing is up to the event
  // loop: they are compared as a sorted set, the rest in order.
  const destroyed = [];
  let recording = true;
  const wanted = new Set(['Timeout', 'Immediate', 'TickObject', 'Microtask']);
  const ids = new Map();
  const hook = h.createHook({
    init(id, type, trigger) {
      if (!recording || !wanted.has(type)) return;
      ids.set(id, type);
      events.push(['init', type, r.id(id), r.id(trigger)]);
    },
    before(id) { if (recording && ids.has(id)) events.push(['before', ids.get(id), r.id(id)]); },
    after(id) { if (recording && ids.has(id)) events.push(['after', ids.get(id), r.id(id)]); },
    destroy(id) { if (ids.has(id)) destroyed.push([ids.get(id), r.id(id)]); },
  }).enable();
  const outer = r.id(h.executionAsyncId());
  await new Promise((resolve) => {
    const t = setTimeout(() => {
      events.push(['timeout cb', r.id(h.executionAsyncId()), r.id(h.triggerAsyncId()), h.executionAsyncResource() === t]);
      const im = setImmediate(() => {
        events.push(['immediate cb', r.id(h.executionAsyncId()), r.id(h.triggerAsyncId()), h.executionAsyncResource() === im]);
        process.nextTick(() => {
          events.push(['tick cb', r.id(h.executionAsyncId()), r.id(h.triggerAsyncId())]);
          queueMicrotask(() => {
            events.push(['microtask cb', r.id(h.executionAsyncId()), r.id(h.triggerAsyncId())]);
            recording = false;
            resolve();
          });
        });
      });
    }, 1);
  });
  for (let i = 0; i < 50 && destroyed.length < ids.size; i++) await sleep(1);
  hook.disable();
  r.raw('outer', outer);
  for (const e of events) r.raw(e[0], e.slice(1));
  r.raw('destroyed', destroyed.sort((a, b) => String(a).localeCompare(String(b))));
});

scenario('hooks: promise lifecycle with promiseResolve', async (r) => {
  const events = [];
  const promises = new Map();
  const hook = h.createHook({
    init(id, type, trigger, resource) {
      if (type !== 'PROMISE') return;
      promises.set(id, promises.size);
      events.push(['init', promises.get(id), promises.has(trigger) ? promises.get(trigger) : 'other', typeof resource]);
    },
    before(id) { if (promises.has(id)) events.push(['before', promises.get(id)]); },
    after(id) { if (promises.has(id)) events.push(['after', promises.get(id)]); },
    promiseResolve(id) { if (promises.has(id)) events.push(['resolve', promises.get(id)]); },
  }).enable();
  const p = new Promise((resolve) => resolve('v'));
  await p.then((v) => v + 1).then(() => {
    events.push(['in then', promises.get(h.executionAsyncId()) ?? 'unknown']);
  });
  hook.disable();
  for (const e of events) r.raw(e[0], e.slice(1));
});

scenario('hooks: store visible inside hook callbacks', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = [];
  const hook = h.createHook({
    init(id, type) { if (type === 'Timeout' || type === 'HookRes') seen.push(['init', type, als.getStore()]); },
    before(id) { if (tracked.has(id)) seen.push(['before', als.getStore()]); },
    after(id) { if (tracked.has(id)) seen.push(['after', als.getStore()]); },
    destroy(id) { if (tracked.has(id)) seen.push(['destroy', als.getStore()]); },
  });
  const tracked = new Set();
  hook.enable();
  await als.run('ctx', () => new Promise((resolve) => {
    const t = setTimeout(resolve, 1);
    tracked.add(t[Symbol.toPrimitive]());
    const res = new h.AsyncResource('HookRes');
    tracked.add(res.asyncId());
    als.run('caller', () => res.runInAsyncScope(() => {}));
    res.emitDestroy();
  }));
  await tick();
  await tick();
  hook.disable();
  // The timer's before/after and the queued destroy race: sort.
  seen.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  for (const [label, ...rest] of seen) r.log(label, rest);
});

scenario('hooks: init types seen while ALS propagates through await', async (r) => {
  const types = [];
  const hook = h.createHook({ init(id, type) { types.push(type); } }).enable();
  const als = new h.AsyncLocalStorage();
  await als.run({ n: 1 }, async () => {
    await tick();
    als.enterWith({ n: 2 });
    await null;
  });
  als.disable();
  hook.disable();
  r.log('init types', types);
});

scenario('executionAsyncId/triggerAsyncId/resource in continuations', async (r) => {
  const rows = [];
  const snap = (label) => rows.push([label, r.id(h.executionAsyncId()), r.id(h.triggerAsyncId()), typeof h.executionAsyncResource()]);
  snap('scenario start');
  await null;
  snap('after await null');
  await Promise.resolve().then(() => snap('then callback'));
  await new Promise((resolve) => process.nextTick(() => { snap('nextTick'); resolve(); }));
  await new Promise((resolve) => queueMicrotask(() => { snap('queueMicrotask'); resolve(); }));
  await new Promise((resolve) => setImmediate(() => { snap('setImmediate'); resolve(); }));
  await new Promise((resolve) => setTimeout(() => { snap('setTimeout'); resolve(); }, 1));
  const als = new h.AsyncLocalStorage();
  await als.run('x', async () => {
    snap('als.run sync');
    await null;
    snap('als.run after await');
    await Promise.resolve().then(() => snap('als.run then'));
  });
  snap('end');
  for (const [label, ...rest] of rows) r.raw(label, rest);
});

scenario('executionAsyncResource: identity with timers and resources', async (r) => {
  const als = new h.AsyncLocalStorage();
  await als.run('s', () => new Promise((resolve) => {
    const t = setTimeout(() => {
      const res = h.executionAsyncResource();
      r.log('is the Timeout', res === t);
      r.log('Timeout has no enumerable store keys', Object.keys(res).filter((k) => !k.startsWith('_')));
      resolve();
    }, 1);
  }));
  const top1 = h.executionAsyncResource();
  const top2 = h.executionAsyncResource();
  r.log('stable within a tick', top1 === top2);
});

scenario('hooks: disable inside a callback, enable inside a callback', async (r) => {
  const calls = [];
  const a = h.createHook({ init(id, type) { if (type === 'Timeout') { calls.push('a'); a.disable(); b.enable(); } } });
  const b = h.createHook({ init(id, type) { if (type === 'Timeout') calls.push('b'); } });
  a.enable();
  await sleep(1);
  await sleep(1);
  b.disable();
  a.disable();
  r.log('calls', calls);
});
