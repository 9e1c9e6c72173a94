'use strict';
// AsyncResource (+ EventEmitterAsyncResource from node:events) with the
// implementation's AsyncLocalStorage.
const { EventEmitterAsyncResource } = require('node:events');
const { h, scenario, tick } = require('../harness');

scenario('AsyncResource: constructor forms and id relations', (r) => {
  const outer = new h.AsyncResource('Outer');
  r.raw('outer asyncId', r.id(outer.asyncId()));
  r.raw('outer trigger', r.id(outer.triggerAsyncId()));
  r.raw('current eid', r.id(h.executionAsyncId()));
  const byNumber = new h.AsyncResource('ByNumber', outer.asyncId());
  r.log('number form trigger is outer', byNumber.triggerAsyncId() === outer.asyncId());
  const byOpts = new h.AsyncResource('ByOpts', { triggerAsyncId: outer.asyncId(), requireManualDestroy: true });
  r.log('opts trigger is outer', byOpts.triggerAsyncId() === outer.asyncId());
  r.log('ids increase', byOpts.asyncId() > byNumber.asyncId() && byNumber.asyncId() > outer.asyncId());
  outer.runInAsyncScope(() => {
    const inner = new h.AsyncResource('Inner');
    r.log('default trigger is current', inner.triggerAsyncId() === outer.asyncId());
    r.log('eid inside scope', h.executionAsyncId() === outer.asyncId());
    r.log('tid inside scope', h.triggerAsyncId() === outer.triggerAsyncId());
    r.log('resource inside scope', h.executionAsyncResource() === outer);
  });
  r.log('trigger -1 accepted', new h.AsyncResource('M1', -1).triggerAsyncId());
  r.log('trigger 0 accepted', new h.AsyncResource('Z', { triggerAsyncId: 0 }).triggerAsyncId());
  r.log('empty type allowed without hooks', new h.AsyncResource('').asyncId() > 0);
  r.log('emitDestroy returns this', outer.emitDestroy() === outer);
  r.log('emitDestroy twice', outer.emitDestroy() === outer);
  r.log('own enumerable keys', Object.keys(outer));
});

scenario('AsyncResource: validation errors', (r) => {
  for (const type of [undefined, null, 1, {}, Symbol('t')]) {
    r.attempt(`type ${typeof type}`, () => new h.AsyncResource(type));
  }
  for (const id of [-2, 1.5, NaN, '3', null, Infinity, 2 ** 53]) {
    r.attempt(`triggerAsyncId ${String(id)} (opts)`, () => new h.AsyncResource('T', { triggerAsyncId: id }));
    r.attempt(`triggerAsyncId ${String(id)} (number)`, () => new h.AsyncResource('T', id));
  }
  r.attempt('opts null', () => new h.AsyncResource('T', null));
  r.attempt('opts string', () => new h.AsyncResource('T', 'x').triggerAsyncId());
  const hook = h.createHook({ init() {} }).enable();
  try {
    r.attempt('empty type with init hook', () => new h.AsyncResource(''));
  } finally {
    hook.disable();
  }
});

scenario('runInAsyncScope: thisArg, args, return, exceptions, context', (r) => {
  const als = new h.AsyncLocalStorage();
  const res = als.run('captured', () => new h.AsyncResource('Scope'));
  const thisArg = { t: 1 };
  r.log('call', als.run('caller', () => res.runInAsyncScope(function (...args) {
    return [als.getStore(), this === thisArg, args];
  }, thisArg, 'a', 2)));
  r.log('no thisArg', res.runInAsyncScope(function () { return this; }));
  r.attempt('throws', () => res.runInAsyncScope(() => { throw new EvalError('ras'); }));
  r.log('eid after throw', h.executionAsyncId() === res.asyncId());
  r.log('store after throw', als.getStore());
  r.attempt('non-function', () => res.runInAsyncScope(5));
  r.log('nested', res.runInAsyncScope(() => als.run('n', () => res.runInAsyncScope(() => als.getStore()))));
});

scenario('runInAsyncScope: enterWith inside does not leak out; second entry', (r) => {
  const als = new h.AsyncLocalStorage();
  const res = als.run('captured', () => new h.AsyncResource('Scope'));
  als.run('caller', () => {
    res.runInAsyncScope(() => {
      als.enterWith('entered-inside');
      r.log('inside after enterWith', als.getStore());
    });
    r.log('caller after scope', als.getStore());
    r.log('second entry', res.runInAsyncScope(() => als.getStore()));
  });
  const fresh = new h.AsyncLocalStorage();
  res.runInAsyncScope(() => fresh.enterWith('fresh-inside'));
  r.log('fresh instance outside', fresh.getStore());
  r.log('fresh instance second entry', res.runInAsyncScope(() => fresh.getStore()));
});

scenario('AsyncResource#bind: name, length, this, context', (r) => {
  const als = new h.AsyncLocalStorage();
  const res = als.run('res', () => new h.AsyncResource('Bind'));
  function f(a, b, c) { return [als.getStore(), this, a, b, c]; }
  const b1 = res.bind(f);
  r.log('name', b1.name);
  r.log('length', b1.length);
  const recv = { r: 1 };
  r.log('receiver passes through', als.run('x', () => b1.call(recv, 1)));
  const b2 = res.bind(f, recv);
  r.log('thisArg name', b2.name);
  r.log('thisArg length', b2.length);
  r.log('thisArg wins', b2.call({ other: true }, 2));
  r.attempt('bind non-function', () => res.bind('nope'));
  r.log('length not writable', Object.getOwnPropertyDescriptor(b1, 'length'));
  r.log('asyncResource prop present', 'asyncResource' in b1);
  const s1 = als.run('static', () => h.AsyncResource.bind(f));
  r.log('static name', s1.name);
  r.log('static call', s1.call(recv, 9));
  const s2 = als.run('static2', () => h.AsyncResource.bind(f, 'CustomType', recv));
  r.log('static thisArg', s2(8));
  let initType;
  const hook = h.createHook({ init(id, type) { if (type !== 'PROMISE') initType ??= type; } }).enable();
  h.AsyncResource.bind(function namedForType() {});
  hook.disable();
  r.log('static bind type from fn name', initType);
});

scenario('AsyncResource: context captured at construction across async', async (r) => {
  const als = new h.AsyncLocalStorage();
  const res = await als.run('ctor', async () => {
    await tick();
    return new h.AsyncResource('Later');
  });
  await als.run('caller', async () => {
    await tick();
    r.log('runInAsyncScope', res.runInAsyncScope(() => als.getStore()));
    r.log('caller', als.getStore());
    await res.runInAsyncScope(async () => {
      await tick();
      r.log('continuation of async fn in scope', als.getStore());
    });
    r.log('caller after', als.getStore());
  });
  const manual = als.run('manual', () => new h.AsyncResource('Manual', { requireManualDestroy: true }));
  r.log('manual', manual.runInAsyncScope(() => als.getStore()));
});

scenario('AsyncResource: created before the first ALS use', (r) => {
  const res = new h.AsyncResource('Early');
  const als = new h.AsyncLocalStorage();
  als.run('late', () => r.log('inside run, in early resource', res.runInAsyncScope(() => als.getStore())));
  als.enterWith('entered');
  r.log('after enterWith, in early resource', res.runInAsyncScope(() => als.getStore()));
  als.enterWith(undefined);
});

scenario('EventEmitterAsyncResource: listeners run in construction context', async (r) => {
  const als = new h.AsyncLocalStorage();
  const ee = als.run('ctor', () => new EventEmitterAsyncResource({ name: 'Emitter' }));
  ee.on('ev', (x) => r.log('listener', [als.getStore(), x]));
  als.run('emit', () => ee.emit('ev', 1));
  await als.run('async emit', async () => {
    await tick();
    ee.emit('ev', 2);
  });
  r.log('asyncResource is AsyncResource', ee.asyncResource instanceof h.AsyncResource);
  r.log('ids relation', ee.asyncId === ee.asyncResource.asyncId());
  const plain = new EventEmitterAsyncResource();
  r.log('default name', plain.asyncResource.constructor.name);
  ee.emitDestroy();
  r.log('store after', als.getStore());
});
