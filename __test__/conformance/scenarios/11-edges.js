'use strict';
// Less common but observable edges: subclassing, hooks
// calling into ALS, enterWith inside then/tick callbacks, work scheduled
// inside exit().
const { h, scenario, tick, sleep } = require('../harness');

scenario('subclass: which overridden methods run/exit/withScope call', async (r) => {
  const calls = [];
  class Traced extends h.AsyncLocalStorage {
    getStore() { calls.push('getStore'); return super.getStore(); }
    enterWith(s) { calls.push(`enterWith(${String(s)})`); return super.enterWith(s); }
    run(s, fn, ...args) { calls.push(`run(${String(s)})`); return super.run(s, fn, ...args); }
    disable() { calls.push('disable'); return super.disable(); }
  }
  const als = new Traced();
  const mark = (label) => { r.log(label, calls.splice(0)); };
  als.run('a', () => {});
  mark('run');
  als.run('a', () => als.run('a', () => {}));
  mark('run same store twice');
  als.exit(() => {});
  mark('exit outside run');
  als.run('b', () => als.exit(() => {}));
  mark('exit inside run');
  als.enterWith('c');
  mark('enterWith');
  if (typeof als.withScope === 'function') {
    const scope = als.withScope('d');
    mark('withScope');
    scope.dispose();
    mark('scope.dispose');
  }
  await tick();
  als.disable();
  mark('disable');
  r.log('subclass instanceof', als instanceof h.AsyncLocalStorage);
});

scenario('subclass: overriding getStore changes the run() fast path', (r) => {
  class Fallback extends h.AsyncLocalStorage {
    getStore() { return super.getStore() ?? 'fallback'; }
  }
  const als = new Fallback();
  als.run('fallback', () => {
    als.enterWith('entered');
    r.log('inside run(fallback)', als.getStore());
  });
  r.log('after run(fallback)', als.getStore());
});

scenario('detached methods and foreign receivers (error class only)', (r) => {
  const als = new h.AsyncLocalStorage();
  const cls = (fn) => {
    try { fn(); return 'no throw'; } catch (e) { return e?.constructor?.name; }
  };
  const { getStore, run, exit, enterWith } = h.AsyncLocalStorage.prototype;
  for (const [label, recv] of [['undefined', undefined], ['a number', 1], ['plain object', {}]]) {
    r.log(`getStore on ${label}`, cls(() => getStore.call(recv)));
    r.log(`run on ${label}`, cls(() => run.call(recv, 1, () => {})));
    r.log(`exit on ${label}`, cls(() => exit.call(recv, () => {})));
    // The AsyncContextFrame built-in accepts any receiver here (it keys a
    // frame entry by it); the promise-hook one throws.
    r.log(`enterWith on ${label}`, cls(() => enterWith.call(recv, 1)));
  }
  r.log('store untouched', als.getStore());
});

scenario('run, exit, enterWith and disable on foreign receivers, messages included', (r) => {
  const als = new h.AsyncLocalStorage();
  const { run, exit, enterWith, disable } = h.AsyncLocalStorage.prototype;
  const receivers = [['undefined', undefined], ['null', null], ['a number', 1], ['plain object', {}]];
  als.run('s', () => {
    for (const [label, recv] of receivers) {
      r.attempt(`run on ${label}`, () => run.call(recv, 1, () => 'ran'));
      r.attempt(`exit on ${label}`, () => exit.call(recv, () => 'ran'));
      r.attempt(`enterWith on ${label}`, () => enterWith.call(recv, 2));
      r.attempt(`disable on ${label}`, () => disable.call(recv));
      r.log(`store after ${label}`, als.getStore());
    }
  });
  r.log('store after run', als.getStore());
});

scenario('new on an AsyncLocalStorage.bind result', (r) => {
  class Thing { constructor(x) { this.x = x; } }
  function Plain(x) { this.x = x; }
  const boundClass = h.AsyncLocalStorage.bind(Thing);
  const boundPlain = h.AsyncLocalStorage.bind(Plain);
  r.attempt('new bound class', () => new boundClass(1));
  r.attempt('new bound plain function', () => {
    const o = new boundPlain(2);
    return [o instanceof Plain, o.x];
  });
});

scenario('ALS used inside hook callbacks', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = [];
  const hook = h.createHook({
    init(id, type) {
      if (type !== 'InHook') return;
      seen.push(['init sees', als.getStore()]);
      seen.push(['run inside init', als.run('from-init', () => als.getStore())]);
      seen.push(['init after run', als.getStore()]);
    },
  }).enable();
  als.run('outer', () => new h.AsyncResource('InHook'));
  hook.disable();
  for (const [label, v] of seen) r.log(label, v);
  r.log('after', als.getStore());
});

scenario('enterWith inside then callbacks and nextTick callbacks', async (r) => {
  const als = new h.AsyncLocalStorage();
  await als.run('outer', async () => {
    const chain = Promise.resolve()
      .then(() => { als.enterWith('in-first-then'); return als.getStore(); })
      .then((prev) => [prev, als.getStore()]);
    r.log('chain', await chain);
    r.log('outer after chain', als.getStore());
    await new Promise((resolve) => {
      process.nextTick(() => {
        als.enterWith('in-tick');
        process.nextTick(() => {
          r.log('tick scheduled from tick', als.getStore());
          resolve();
        });
      });
      process.nextTick(() => r.log('sibling tick', als.getStore()));
    });
    r.log('outer after ticks', als.getStore());
    const inner = Promise.resolve().then(() => {
      als.enterWith('created-inside-then');
      return Promise.resolve().then(() => als.getStore());
    });
    r.log('promise created inside then after enterWith', await inner);
  });
});

scenario('work scheduled inside exit(): nextTick, promise, immediate, resource', async (r) => {
  const als = new h.AsyncLocalStorage();
  const got = {};
  await als.run('s', async () => {
    const waits = [];
    als.exit(() => {
      waits.push(new Promise((resolve) => process.nextTick(() => { got.tick = als.getStore(); resolve(); })));
      waits.push(Promise.resolve().then(() => { got.then = als.getStore(); }));
      waits.push(new Promise((resolve) => setImmediate(() => { got.immediate = als.getStore(); resolve(); })));
      const res = new h.AsyncResource('FromExit');
      waits.push(tick().then(() => { got.resource = res.runInAsyncScope(() => als.getStore()); }));
      waits.push((async () => { await null; got.asyncFn = als.getStore(); })());
    });
    await Promise.all(waits);
  });
  r.log('got', got);
});

scenario('run() called from a finally block and after an abandoned async run', async (r) => {
  const als = new h.AsyncLocalStorage();
  try {
    als.run('t', () => { throw new Error('x'); });
  } catch {
    // ignore
  } finally {
    als.run('in-finally', () => r.log('in finally', als.getStore()));
  }
  r.log('after finally', als.getStore());
  // A run whose async callback never settles must not leak into the caller.
  const never = als.run('pending', async () => { await new Promise(() => {}); });
  r.log('after pending async run', als.getStore());
  await sleep(1);
  r.log('after pending async run + sleep', als.getStore());
  r.log('pending is a promise', never instanceof Promise);
});

scenario('exit() and run(undefined) inside withScope', (r) => {
  const als = new h.AsyncLocalStorage({ defaultValue: 'D' });
  const scope = als.withScope('scoped');
  r.log('exit', als.exit(() => als.getStore()));
  r.log('run(undefined)', als.run(undefined, () => als.getStore()));
  r.log('still scoped', als.getStore());
  scope.dispose();
  r.log('disposed', als.getStore());
}, { requires: ['withScope', 'defaultValue'] });

scenario('same store object in two instances, store as instance', (r) => {
  const a = new h.AsyncLocalStorage();
  const b = new h.AsyncLocalStorage();
  const shared = { s: 1 };
  a.run(shared, () => b.run(shared, () => {
    r.log('identity', a.getStore() === b.getStore());
    a.run(b, () => r.log('instance as store', a.getStore() === b));
  }));
});

scenario('getStore on foreign receivers, messages included, inside and outside a context', (r) => {
  const als = new h.AsyncLocalStorage();
  const { getStore } = h.AsyncLocalStorage.prototype;
  const receivers = [['undefined', undefined], ['null', null], ['a number', 1], ['plain object', {}]];
  for (const [label, recv] of receivers) r.attempt(`outside, getStore on ${label}`, () => getStore.call(recv));
  als.run('s', () => {
    for (const [label, recv] of receivers) r.attempt(`inside, getStore on ${label}`, () => getStore.call(recv));
  });
  als.run(undefined, () => r.attempt('inside run(undefined), getStore on {}', () => getStore.call({})));
});
