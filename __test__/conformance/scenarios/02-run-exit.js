'use strict';
// Synchronous semantics of run / exit / enterWith / getStore.
const { h, features, scenario, tick } = require('../harness');

const sloppyThis = new Function('return this === globalThis ? "globalThis" : typeof this');

scenario('run: return value, args, this, nesting', (r) => {
  const als = new h.AsyncLocalStorage();
  const ret = als.run('a', function strictFn(...args) {
    r.log('store', als.getStore());
    r.log('args', args);
    r.log('arguments.length', arguments.length);
    r.log('this', this);
    return als.run('b', () => {
      r.log('nested store', als.getStore());
      return 'inner';
    });
  }, 1, 'two', undefined);
  r.log('return', ret);
  r.log('after', als.getStore());
  r.log('sloppy this', als.run('c', sloppyThis));
  r.log('no extra args', als.run('d', (...a) => a.length));
  const obj = {};
  r.log('returns same object', als.run('e', () => obj) === obj);
});

scenario('run: restores the store when the callback throws', (r) => {
  const als = new h.AsyncLocalStorage();
  als.run('outer', () => {
    r.attempt('inner throw', () => als.run('inner', () => {
      r.log('inside', als.getStore());
      throw new RangeError('boom');
    }));
    r.log('restored', als.getStore());
    const thrown = { not: 'an error' };
    try {
      als.run('x', () => { throw thrown; });
    } catch (e) {
      r.log('non-error thrown identity', e === thrown);
    }
    r.log('restored again', als.getStore());
  });
  r.log('outside', als.getStore());
});

scenario('run: non-function callback', (r) => {
  const als = new h.AsyncLocalStorage();
  for (const fn of [undefined, null, 1, 'f', {}]) {
    r.attempt(`run(store, ${String(fn)})`, () => als.run('s', fn));
    r.log('store after failed run', als.getStore());
    r.attempt(`run(same, ${String(fn)})`, () => als.run(undefined, fn));
  }
  r.attempt('exit(non-function)', () => als.exit(1));
  r.log('store after failed exit', als.getStore());
});

scenario('run: Object.is fast path with identical stores', (r) => {
  const als = new h.AsyncLocalStorage();
  const obj = {};
  for (const [label, v] of [['NaN', NaN], ['-0', -0], ['+0', 0], ['obj', obj], ['str', 's'], ['undefined', undefined]]) {
    als.run(v, () => {
      r.log(`${label} outer`, als.getStore());
      als.run(v, () => r.log(`${label} same`, als.getStore()));
      r.log(`${label} after same`, als.getStore());
    });
  }
  als.run(0, () => als.run(-0, () => r.log('-0 inside +0', als.getStore())));
  als.run(-0, () => als.run(0, () => r.log('+0 inside -0', als.getStore())));
  als.run(NaN, () => als.run(Number('x'), () => r.log('NaN inside NaN', als.getStore())));
  r.log('after all', als.getStore());
});

scenario('run: same store keeps enterWith made inside (fast path)', (r) => {
  const als = new h.AsyncLocalStorage();
  als.run('s', () => {
    als.run('s', () => als.enterWith('changed'));
    r.log('after inner same-store run', als.getStore());
  });
  r.log('outside', als.getStore());
});

scenario('exit: store hidden inside, restored after, return/args/this', (r) => {
  const als = new h.AsyncLocalStorage();
  als.run('s', () => {
    const ret = als.exit(function (...args) {
      r.log('inside exit', als.getStore());
      r.log('args', args);
      r.log('this', this);
      als.run('nested', () => r.log('run inside exit', als.getStore()));
      r.log('after nested run in exit', als.getStore());
      return 42;
    }, 'x', 2);
    r.log('exit return', ret);
    r.log('after exit', als.getStore());
    r.attempt('exit throwing', () => als.exit(() => { throw new TypeError('exit boom'); }));
    r.log('after throwing exit', als.getStore());
    r.log('exit sloppy this', als.exit(sloppyThis));
  });
  r.log('exit outside any run', als.exit(() => als.getStore()));
  const fresh = new h.AsyncLocalStorage();
  r.log('exit on never-used instance', fresh.exit(() => fresh.getStore()));
  r.log('fresh after exit', fresh.getStore());
});

scenario('exit: enterWith inside exit', (r) => {
  const als = new h.AsyncLocalStorage();
  als.run('s', () => {
    als.exit(() => {
      als.enterWith('entered-in-exit');
      r.log('inside', als.getStore());
    });
    r.log('after exit', als.getStore());
  });
  r.log('outside', als.getStore());
});

scenario('exit: async work started inside exit', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = [];
  await als.run('s', async () => {
    const p = als.exit(async () => {
      await tick();
      seen.push(['exit continuation', als.getStore()]);
    });
    seen.push(['sync after exit', als.getStore()]);
    await p;
    seen.push(['after awaiting exit', als.getStore()]);
    await new Promise((resolve) => als.exit(() => setTimeout(() => {
      seen.push(['timer from exit', als.getStore()]);
      resolve();
    }, 1)));
  });
  for (const [label, v] of seen) r.log(label, v);
});

scenario('enterWith: top level of a scenario and inside run', (r) => {
  const als = new h.AsyncLocalStorage();
  r.log('return value', als.enterWith('entered'));
  r.log('after enterWith', als.getStore());
  als.run('run', () => {
    als.enterWith('inside-run');
    r.log('inside run after enterWith', als.getStore());
  });
  r.log('after run', als.getStore());
  als.enterWith(undefined);
  r.log('after enterWith(undefined)', als.getStore());
});

scenario('enterWith: inside a function called from run leaks to the rest of run', (r) => {
  const als = new h.AsyncLocalStorage();
  const other = new h.AsyncLocalStorage();
  als.run(1, () => {
    (function helper() { als.enterWith(2); other.enterWith('o'); }());
    r.log('als after helper', als.getStore());
    r.log('other after helper', other.getStore());
  });
  r.log('als after run', als.getStore());
  r.log('other after run (leaked?)', other.getStore());
  other.enterWith(undefined);
});

scenario('getStore: store identity is preserved', (r) => {
  const als = new h.AsyncLocalStorage();
  const store = new Map([['k', 'v']]);
  als.run(store, () => {
    r.log('same object', als.getStore() === store);
    als.getStore().set('k2', 'v2');
  });
  r.log('mutation visible', store.get('k2'));
  const fn = () => {};
  als.run(fn, () => r.log('function store', als.getStore() === fn));
  const sym = Symbol('s');
  als.run(sym, () => r.log('symbol store', als.getStore() === sym));
  als.run(null, () => r.log('null store', als.getStore()));
  als.run(false, () => r.log('false store', als.getStore()));
});

scenario('defaultValue: run, exit, enterWith, nested', (r) => {
  const als = new h.AsyncLocalStorage({ defaultValue: 'D' });
  r.log('initial', als.getStore());
  als.run('x', () => {
    r.log('in run', als.getStore());
    als.exit(() => r.log('exit in run', als.getStore()));
    als.run(undefined, () => r.log('run(undefined)', als.getStore()));
  });
  r.log('after run', als.getStore());
  als.exit(() => r.log('exit at top', als.getStore()));
  als.run('D', () => {
    r.log('run with the default value itself', als.getStore());
    als.enterWith('E');
    r.log('enterWith inside default run', als.getStore());
  });
  r.log('after default-valued run', als.getStore());
  als.enterWith(undefined);
  r.log('after enterWith(undefined)', als.getStore());
  als.run(null, () => r.log('run(null)', als.getStore()));
}, { requires: 'defaultValue' });

scenario('defaultValue: continuations and disable', async (r) => {
  const als = new h.AsyncLocalStorage({ defaultValue: 0 });
  await als.run(5, async () => {
    await tick();
    r.log('after await', als.getStore());
    als.disable();
    r.log('after disable', als.getStore());
    await tick();
    r.log('after disable + await', als.getStore());
  });
  r.log('top after disable', als.getStore());
  als.run(6, () => r.log('run after disable', als.getStore()));
  r.log('after run after disable', als.getStore());
  await als.exit(async () => {
    await tick();
    r.log('exit continuation', als.getStore());
  });
}, { requires: 'defaultValue' });

scenario('defaultValue: distinct instances keep distinct defaults', (r) => {
  const a = new h.AsyncLocalStorage({ defaultValue: 'A' });
  const b = new h.AsyncLocalStorage({ defaultValue: 'B' });
  const c = new h.AsyncLocalStorage();
  a.run('a1', () => {
    r.log('b inside a.run', b.getStore());
    r.log('c inside a.run', c.getStore());
    b.run('b1', () => r.log('a inside b.run', a.getStore()));
  });
  r.log('defaults', [a.getStore(), b.getStore(), c.getStore()]);
}, { requires: 'defaultValue' });

scenario('name: getter is read-only-ish and per instance', (r) => {
  const als = new h.AsyncLocalStorage({ name: 'x' });
  r.attempt('assign name', () => { als.name = 'y'; return als.name; });
  r.log('own property names', Object.getOwnPropertyNames(als).filter((k) => k === 'name'));
  r.log('name descriptor on prototype', typeof Object.getOwnPropertyDescriptor(h.AsyncLocalStorage.prototype, 'name')?.get);
  r.log('features.name', features.name);
}, { requires: 'name' });
