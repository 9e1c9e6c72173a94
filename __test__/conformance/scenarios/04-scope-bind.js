'use strict';
// withScope + Symbol.dispose, and the static bind / snapshot helpers.
const { h, scenario, tick } = require('../harness');

scenario('withScope: enters, dispose restores, idempotent', (r) => {
  const als = new h.AsyncLocalStorage();
  als.run('outer', () => {
    const scope = als.withScope('scoped');
    r.log('scope class', Object.getPrototypeOf(scope)?.constructor?.name);
    r.log('has dispose()', typeof scope.dispose);
    r.log('has Symbol.dispose', typeof scope[Symbol.dispose]);
    r.log('inside scope', als.getStore());
    r.log('dispose return', scope[Symbol.dispose]());
    r.log('after dispose', als.getStore());
    als.enterWith('changed');
    scope[Symbol.dispose]();
    scope.dispose();
    r.log('second dispose is a no-op', als.getStore());
  });
  r.log('outside', als.getStore());
}, { requires: ['withScope', 'dispose'] });

scenario('withScope: nested and out-of-order dispose', (r) => {
  const als = new h.AsyncLocalStorage();
  const a = als.withScope('a');
  const b = als.withScope('b');
  r.log('nested', als.getStore());
  a.dispose();
  r.log('outer disposed first', als.getStore());
  b.dispose();
  r.log('inner disposed last', als.getStore());
  const c = als.withScope('c');
  const d = als.withScope('d');
  d.dispose();
  r.log('in order 1', als.getStore());
  c.dispose();
  r.log('in order 2', als.getStore());
}, { requires: ['withScope', 'dispose'] });

scenario('withScope: with defaultValue and across await', async (r) => {
  const als = new h.AsyncLocalStorage({ defaultValue: 'D' });
  const scope = als.withScope('S');
  await tick();
  r.log('after await', als.getStore());
  scope[Symbol.dispose]();
  r.log('disposed', als.getStore());
  await tick();
  r.log('disposed + await', als.getStore());
  const other = new h.AsyncLocalStorage();
  const s2 = other.withScope(undefined);
  r.log('scope with undefined', other.getStore());
  s2.dispose();
}, { requires: ['withScope', 'dispose', 'defaultValue'] });

scenario('withScope: dispose inside another run', (r) => {
  const als = new h.AsyncLocalStorage();
  const scope = als.withScope('scope');
  als.run('run', () => {
    scope.dispose();
    r.log('inside run after dispose', als.getStore());
  });
  r.log('after run', als.getStore());
  r.log('scope keys', Object.keys(scope));
}, { requires: ['withScope', 'dispose'] });

scenario('static bind: context capture, name, length, this', (r) => {
  const als = new h.AsyncLocalStorage();
  function named(a, b) { return [als.getStore(), this === undefined ? 'undefined' : this, a, b]; }
  const bound = als.run('captured', () => h.AsyncLocalStorage.bind(named));
  r.log('name', bound.name);
  r.log('length', bound.length);
  r.log('call', als.run('other', () => bound(1, 2)));
  const recv = { tag: 'recv' };
  r.log('method call this', als.run('other', () => bound.call(recv, 3)));
  r.log('prototype', typeof bound.prototype);
  r.log('asyncResource prop present', 'asyncResource' in bound);
  const arrow = als.run('arrow', () => h.AsyncLocalStorage.bind(() => als.getStore()));
  r.log('arrow', arrow());
  r.log('arrow name', arrow.name);
  const anon = h.AsyncLocalStorage.bind((0, function () {}));
  r.log('anonymous name', anon.name);
  r.log('outside', als.getStore());
});

scenario('static bind: non-function arguments', (r) => {
  for (const v of [undefined, null, 1, 'fn', {}, { name: 'x' }]) {
    r.attempt(`bind(${typeof v} ${v && v.name})`, () => h.AsyncLocalStorage.bind(v));
  }
});

scenario('snapshot: runs callbacks in the captured context', (r) => {
  const als = new h.AsyncLocalStorage();
  const other = new h.AsyncLocalStorage();
  const snap = als.run('snap', () => other.run('o', () => h.AsyncLocalStorage.snapshot()));
  r.log('name', snap.name);
  r.log('length', snap.length);
  r.log('call', als.run('later', () => snap((a, b) => [als.getStore(), other.getStore(), a, b], 1, 2)));
  r.log('after', als.getStore());
  r.attempt('snapshot with non-function', () => snap(1));
  r.attempt('snapshot rethrows', () => snap(() => { throw new SyntaxError('snap'); }));
  r.log('this in snapshot callback', snap(function () { return this; }));
  r.log('nested snapshot sees', als.run('n', () => snap(() => h.AsyncLocalStorage.snapshot()))(() => als.getStore()));
});

scenario('bind/snapshot across async boundaries', async (r) => {
  const als = new h.AsyncLocalStorage();
  const fn = als.run('bound', () => h.AsyncLocalStorage.bind(() => als.getStore()));
  const snap = als.run('snapped', () => h.AsyncLocalStorage.snapshot());
  await als.run('caller', async () => {
    await tick();
    r.log('bound in continuation', fn());
    r.log('snapshot in continuation', snap(() => als.getStore()));
    r.log('caller restored', als.getStore());
    await new Promise((resolve) => setTimeout(() => {
      r.log('bound in timer', fn());
      resolve();
    }, 1));
  });
  const disabled = new h.AsyncLocalStorage();
  const bound2 = disabled.run('d', () => h.AsyncLocalStorage.bind(() => disabled.getStore()));
  disabled.disable();
  r.log('bound after disable', bound2());
});
