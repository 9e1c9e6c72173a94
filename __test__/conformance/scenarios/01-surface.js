'use strict';
// Module surface and AsyncLocalStorage construction.
const { h, builtin, features, scenario } = require('../harness');

// Captured while the child loads this file: the top level of the process.
const TOP = {
  eid: h.executionAsyncId(),
  tid: h.triggerAsyncId(),
  resourceIsObject: typeof h.executionAsyncResource() === 'object',
  resourceKeys: Object.keys(h.executionAsyncResource()),
};

// enterWith at the real top level of the process (module load time), with
// continuations scheduled from there.
const topAls = new h.AsyncLocalStorage();
topAls.enterWith('top');
const TOP_STORE = {
  sync: topAls.getStore(),
  timer: new Promise((resolve) => setTimeout(() => resolve(topAls.getStore()), 1)),
  then: Promise.resolve().then(() => topAls.getStore()),
  tick: new Promise((resolve) => process.nextTick(() => resolve(topAls.getStore()))),
};

scenario('enterWith at the top level of the process', async (r) => {
  r.log('sync', TOP_STORE.sync);
  r.log('timer', await TOP_STORE.timer);
  r.log('then', await TOP_STORE.then);
  r.log('nextTick', await TOP_STORE.tick);
  // Scenarios run in a continuation started at top level, after this file
  // was loaded.
  r.log('inside a later scenario', topAls.getStore());
  topAls.run('nested', () => r.log('run', topAls.getStore()));
  r.log('after run', topAls.getStore());
});

scenario('every built-in export exists with the same typeof', (r) => {
  for (const key of Object.keys(builtin).sort()) r.log(`typeof ${key}`, typeof h[key]);
});

scenario('public method shapes (name, length)', (r) => {
  const fns = {
    createHook: h.createHook,
    executionAsyncId: h.executionAsyncId,
    triggerAsyncId: h.triggerAsyncId,
    executionAsyncResource: h.executionAsyncResource,
    'AsyncLocalStorage.bind': h.AsyncLocalStorage.bind,
    'AsyncLocalStorage.snapshot': h.AsyncLocalStorage.snapshot,
    'AsyncResource.bind': h.AsyncResource.bind,
  };
  // Methods the built-in lacks on this node are not compared: a superset
  // is allowed, a missing or differently shaped method is not.
  for (const m of ['getStore', 'run', 'exit', 'enterWith', 'disable', 'withScope']) {
    if (!(m in builtin.AsyncLocalStorage.prototype)) continue;
    fns[`AsyncLocalStorage#${m}`] = h.AsyncLocalStorage.prototype[m];
  }
  for (const m of ['runInAsyncScope', 'emitDestroy', 'asyncId', 'triggerAsyncId', 'bind']) {
    fns[`AsyncResource#${m}`] = h.AsyncResource.prototype[m];
  }
  for (const [label, fn] of Object.entries(fns)) {
    r.log(label, typeof fn === 'function' ? [fn.name, fn.length] : typeof fn);
  }
  r.log('ALS.name', h.AsyncLocalStorage.name);
  r.log('ALS.length', h.AsyncLocalStorage.length);
  r.log('AsyncResource.name', h.AsyncResource.name);
  r.log('AsyncResource.length', h.AsyncResource.length);
  r.log('ALS is a class', /^class\b/.test(Function.prototype.toString.call(h.AsyncLocalStorage)));
  r.attempt('ALS called without new', () => h.AsyncLocalStorage());
  r.attempt('AsyncResource called without new', () => h.AsyncResource('X'));
});

scenario('asyncWrapProviders equals the built-in one', (r) => {
  r.log('equal', JSON.stringify(h.asyncWrapProviders) === JSON.stringify(builtin.asyncWrapProviders));
  r.log('frozen', Object.isFrozen(h.asyncWrapProviders));
  r.log('null prototype', Object.getPrototypeOf(h.asyncWrapProviders) === null);
  r.log('count', Object.keys(h.asyncWrapProviders).length);
  r.log('PROMISE', h.asyncWrapProviders.PROMISE);
  r.log('TIMERWRAP in it', 'TIMERWRAP' in h.asyncWrapProviders);
});

scenario('top-level execution context', (r) => {
  r.raw('eid', r.id(TOP.eid));
  r.raw('tid', r.id(TOP.tid));
  r.log('resource is object', TOP.resourceIsObject);
  r.log('resource keys', TOP.resourceKeys);
});

scenario('constructor ignores arguments where the built-in has no options', (r) => {
  for (const value of [null, 1, 'x', { defaultValue: 5, name: 'n' }]) {
    const als = r.attempt('construct', () => new h.AsyncLocalStorage(value));
    if (als) r.log('getStore', als.getStore());
  }
}, { unless: 'validatesOptions' });

scenario('constructor without options', (r) => {
  const als = new h.AsyncLocalStorage();
  r.log('instanceof', als instanceof h.AsyncLocalStorage);
  r.log('getStore', als.getStore());
  if (features.name) r.log('name', als.name);
  r.log('constructor is class', als.constructor === h.AsyncLocalStorage);
  r.log('toString tag', Object.prototype.toString.call(als));
  r.log('undefined options', new h.AsyncLocalStorage(undefined).getStore());
});

scenario('constructor options: defaultValue and name', (r) => {
  const store = { tag: 'default' };
  const als = new h.AsyncLocalStorage({ defaultValue: store, name: 'requests' });
  r.log('getStore is the default object', als.getStore() === store);
  r.log('name', als.name);
  r.log('name from number', new h.AsyncLocalStorage({ name: 42 }).name);
  r.log('name from object', new h.AsyncLocalStorage({ name: { toString: () => 'custom' } }).name);
  r.log('empty name', new h.AsyncLocalStorage({ name: '' }).name);
  r.log('name undefined', new h.AsyncLocalStorage({ name: undefined }).name);
  r.attempt('name that cannot be stringified', () => new h.AsyncLocalStorage({ name: Symbol('s') }).name);
  r.log('defaultValue 0', new h.AsyncLocalStorage({ defaultValue: 0 }).getStore());
  r.log('defaultValue null', new h.AsyncLocalStorage({ defaultValue: null }).getStore());
  r.log('defaultValue NaN', new h.AsyncLocalStorage({ defaultValue: NaN }).getStore());
  r.log('unknown option ignored', new h.AsyncLocalStorage({ foo: 1 }).getStore());
  let reads = 0;
  const options = { get defaultValue() { reads++; return 'got'; } };
  r.log('getter default', new h.AsyncLocalStorage(options).getStore());
  r.log('getter read count', reads);
  r.log('array as options', new h.AsyncLocalStorage([]).getStore());
  r.log('function as options', new h.AsyncLocalStorage(() => {}).getStore());
}, { requires: ['defaultValue', 'name'] });

for (const [label, value] of [
  ['null', null], ['number', 1], ['string', 'x'], ['true', true], ['symbol', Symbol('o')], ['bigint', 1n],
]) {
  scenario(`constructor rejects/accepts options ${label}`, (r) => {
    const als = r.attempt('construct', () => new h.AsyncLocalStorage(value));
    if (als) r.log('getStore', als.getStore());
  }, { requires: 'validatesOptions' });
}

scenario('feature set seen by the child', (r) => {
  // Recorded so a diff in detection (impossible, same binary) is visible.
  r.log('features', { ...features, mechanism: undefined, major: undefined });
});
