'use strict';
// The first instance a process creates owns the first slot of the frame for
// the life of the process, and an engine may carry its store without a
// frame when it is the only entry. These scenarios run in a process where
// `first` below is that instance: every shape of store, mixed with a later
// instance, across awaits, and disable() with captures.
const { h, scenario, tick } = require('../harness');

const first = new h.AsyncLocalStorage();
const later = new h.AsyncLocalStorage();

scenario('stores of every shape for the first and a later instance', async (r) => {
  // The first instance's store may be carried without a frame; arrays,
  // undefined, sentinel-like values and proxies must read back unchanged.
  const { proxy, revoke } = Proxy.revocable({ p: 1 }, {});
  const arrayProxy = new Proxy([7], {});
  const shapes = [['array', [1, 2]], ['empty array', []], ['nested array', [[0]]], ['undefined', undefined],
    ['null', null], ['zero', 0], ['string', 's'], ['proxy', proxy], ['array proxy', arrayProxy],
    ['function', function f() {}]];
  const show = (v) => (v === proxy ? 'proxy' : v === arrayProxy ? 'array proxy' : v);
  for (const [label, store] of shapes) {
    await first.run(store, async () => {
      r.log(`${label}: first`, show(first.getStore()), later.getStore());
      later.run('L', () => r.log(`${label}: both`, show(first.getStore()), later.getStore()));
      await tick();
      r.log(`${label}: first after await`, show(first.getStore()), later.getStore());
      first.run('inner', () => r.log(`${label}: inner`, first.getStore()));
      r.log(`${label}: restored`, show(first.getStore()));
    });
    await later.run(store, async () => {
      first.run('F', () => r.log(`${label}: later, then first`, first.getStore(), show(later.getStore())));
      await tick();
      r.log(`${label}: later after await`, first.getStore(), show(later.getStore()));
    });
  }
  first.run(proxy, () => {
    revoke();
    r.log('revoked proxy still read back', first.getStore() === proxy);
    later.run('L', () => r.log('revoked proxy beside a later instance', first.getStore() === proxy, later.getStore()));
  });
});

scenario('disable() of the first instance alone, with captures', async (r) => {
  await first.run('a', async () => {
    const t = new Promise((resolve) => setTimeout(() => resolve(first.getStore()), 1));
    const captured = h.AsyncLocalStorage.snapshot();
    first.disable();
    r.log('after disable', first.getStore(), later.getStore());
    r.log('snapshot taken before', captured(() => first.getStore()));
    r.log('timer set before', await t);
    first.run('b', () => r.log('run after disable', first.getStore()));
    r.log('after that run', first.getStore());
  });
  r.log('outside', first.getStore());
});

// Resources created before any store is set, so the scenarios below start
// from a resource holding nothing (the ones above leave frames behind on
// the scenario's own resource, and frames are inherited).
const clean = Array.from({ length: 4 }, (_, i) => new h.AsyncResource(`CLEAN${i}`));

scenario('run() of the first instance restoring after the store changed under it', async (r) => {
  // Restores that cannot simply put the prior value back: a later instance
  // added meanwhile, or the store replaced by enterWith().
  clean[0].runInAsyncScope(() => first.run('q', () => {
    first.enterWith(undefined);
    first.run('x', () => later.run('L', () => r.log('inside', first.getStore(), later.getStore())));
    r.log('present undefined restored beside a later instance', first.getStore(), later.getStore());
  }));
  await clean[1].runInAsyncScope(async () => {
    first.run('a', () => first.enterWith('b'));
    r.log('no store restored after enterWith', first.getStore());
    await tick();
    r.log('no store after await', first.getStore());
    first.run('c', () => {
      first.enterWith(undefined);
      first.run('d', () => first.enterWith('e'));
      r.log('present undefined restored after enterWith', first.getStore());
    });
  });
});

scenario('the first instance beside an instance with a defaultValue', async (r) => {
  const withDefault = new h.AsyncLocalStorage({ defaultValue: 'D' });
  withDefault.run('W', () => {});
  await clean[2].runInAsyncScope(() => first.run('a', async () => {
    r.log('entered', first.getStore(), withDefault.getStore());
    await tick();
    r.log('after await', first.getStore(), withDefault.getStore());
    await new Promise((resolve) => setTimeout(resolve, 1));
    r.log('after a timer', first.getStore(), withDefault.getStore());
    withDefault.run('W2', () => r.log('both', first.getStore(), withDefault.getStore()));
  }));
  withDefault.disable();
});

scenario('_propagate() of the first instance, where the built-in has it', (r) => {
  const has = typeof first._propagate === 'function';
  r.log('has _propagate', has);
  if (!has) return;
  const parent = clean[3];
  parent.runInAsyncScope(() => first.enterWith('p'));
  const child = new h.AsyncResource('CHILD');
  const empty = new h.AsyncResource('EMPTY');
  first._propagate(child, parent, 'CHILD');
  r.log('child of a parent with a store', child.runInAsyncScope(() => first.getStore()));
  first._propagate(parent, empty, 'PARENT');
  r.log('overwritten from an empty parent', parent.runInAsyncScope(() => first.getStore()));
});

scenario('the first and a later instance entering inside each other\'s run(), then disable(), with captures', async (r) => {
  // Each instance's entry may live apart from the other's (the AsyncContextFrame
  // engine keeps the first instance under a carrier of its own): restores,
  // frame objects and in-place deletes must still mix exactly as the
  // built-in's entries of one map do.
  const stores = () => [first.getStore(), later.getStore()];
  const fresh = (fn) => new Promise((resolve, reject) => setImmediate(() => {
    Promise.resolve().then(fn).then(resolve, reject);
  }));
  await fresh(async () => {
    later.run('L', () => {
      first.enterWith('F');
      r.log('first entered inside later\'s run', stores());
    });
    r.log('after later\'s run', stores());
    first.run('F2', () => {
      later.enterWith('L2');
      r.log('later entered inside first\'s run', stores());
    });
    r.log('after first\'s run', stores());
  });
  for (const [label, disabled, other] of [['first', first, later], ['later', later, first]]) {
    await fresh(async () => {
      first.enterWith('F');
      later.enterWith('L');
      const before = h.AsyncLocalStorage.snapshot();
      const timerBefore = new Promise((resolve) => setTimeout(() => resolve(stores()), 1));
      other.run('inner', () => r.log(`${label}: inside the other's run`, stores()));
      const after = h.AsyncLocalStorage.snapshot();
      disabled.disable();
      r.log(`${label} disabled`, stores());
      r.log(`${label}: snapshot from before the run`, before(stores));
      r.log(`${label}: snapshot from after the run`, after(stores));
      r.log(`${label}: timer from before the run`, await timerBefore);
      disabled.run('again', () => r.log(`${label}: run after disable`, stores()));
      r.log(`${label}: after that run`, stores());
    });
  }
});
