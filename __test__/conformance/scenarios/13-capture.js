'use strict';
// Capture first, mutate after: every way a context can be captured (bound
// function, snapshot, AsyncResource, pending timer/immediate/tick, then()
// callback, async function continuation) observed after the capturing
// context changed with enterWith / withScope / disable / a new instance.
// Targets engines that share or mutate frames in place.
const { h, features, scenario, tick } = require('../harness');

// Captures the current context in every supported way; returns a function
// that reads `read()` through each capture once the events have fired.
function captureAll(read) {
  const out = {};
  const pending = [];
  const bound = h.AsyncLocalStorage.bind(read);
  const snap = h.AsyncLocalStorage.snapshot();
  const res = new h.AsyncResource('Capture');
  pending.push(new Promise((resolve) => setTimeout(() => { out.timer = read(); resolve(); }, 1)));
  pending.push(new Promise((resolve) => setImmediate(() => { out.immediate = read(); resolve(); })));
  pending.push(new Promise((resolve) => process.nextTick(() => { out.tick = read(); resolve(); })));
  pending.push(Promise.resolve().then(() => { out.then = read(); }));
  pending.push((async () => { await tick(); out.asyncFn = read(); })());
  return async () => {
    out.bound = bound();
    out.snapshot = snap(read);
    out.resource = res.runInAsyncScope(read);
    await Promise.all(pending);
    return out;
  };
}

scenario('capture, then enterWith in the capturing context', async (r) => {
  const als = new h.AsyncLocalStorage();
  await als.run('a', async () => {
    const finish = captureAll(() => als.getStore());
    als.enterWith('b');
    r.log('captures', await finish());
    r.log('current', als.getStore());
  });
});

scenario('capture, then enterWith on another instance', async (r) => {
  const a = new h.AsyncLocalStorage();
  const b = new h.AsyncLocalStorage();
  await a.run('a', () => b.run('b', async () => {
    const finish = captureAll(() => [a.getStore(), b.getStore()]);
    b.enterWith('b2');
    a.enterWith('a2');
    r.log('captures', await finish());
  }));
});

scenario('capture, then a nested run that enterWiths inside', async (r) => {
  const als = new h.AsyncLocalStorage();
  const other = new h.AsyncLocalStorage();
  await als.run('a', async () => {
    const finish = captureAll(() => [als.getStore(), other.getStore()]);
    als.run('nested', () => {
      als.enterWith('nested-entered');
      other.enterWith('other-entered');
    });
    r.log('captures', await finish());
    r.log('current', [als.getStore(), other.getStore()]);
    other.enterWith(undefined);
  });
});

scenario('capture, then disable', async (r) => {
  const als = new h.AsyncLocalStorage();
  const other = new h.AsyncLocalStorage();
  await als.run('a', () => other.run('o', async () => {
    const finish = captureAll(() => [als.getStore(), other.getStore()]);
    als.disable();
    r.log('captures', await finish());
    r.log('current', [als.getStore(), other.getStore()]);
  }));
});

scenario('capture, then withScope and dispose', async (r) => {
  const als = new h.AsyncLocalStorage();
  await als.run('a', async () => {
    const finish = captureAll(() => als.getStore());
    const scope = als.withScope('scoped');
    const finishScoped = captureAll(() => als.getStore());
    scope.dispose();
    r.log('captured before scope', await finish());
    r.log('captured inside scope', await finishScoped());
    r.log('current', als.getStore());
  });
}, { requires: 'withScope' });

scenario('capture, then an instance is created and entered', async (r) => {
  const als = new h.AsyncLocalStorage();
  await als.run('a', async () => {
    const holder = {};
    const finish = captureAll(() => [als.getStore(), holder.late?.getStore()]);
    holder.late = new h.AsyncLocalStorage();
    holder.late.enterWith('late');
    r.log('captures', await finish());
    holder.late.disable();
  });
});

scenario('sibling continuations from one parent context', async (r) => {
  const a = new h.AsyncLocalStorage();
  const b = new h.AsyncLocalStorage();
  const results = {};
  await a.run('parent-a', () => b.run('parent-b', async () => {
    const one = (async () => {
      await tick();
      a.enterWith('one-a');
      await tick();
      results.one = [a.getStore(), b.getStore()];
    })();
    const two = (async () => {
      await tick();
      await tick();
      b.enterWith('two-b');
      await tick();
      results.two = [a.getStore(), b.getStore()];
    })();
    const three = new Promise((resolve) => setImmediate(() => {
      setImmediate(() => {
        setImmediate(() => { results.three = [a.getStore(), b.getStore()]; resolve(); });
      });
    }));
    await Promise.all([one, two, three]);
    results.parent = [a.getStore(), b.getStore()];
  }));
  r.log('results', results);
});

scenario('immediates scheduled from one context, one enters', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = {};
  await new Promise((resolve) => als.run('parent', () => {
    setImmediate(() => { als.enterWith('first-entered'); seen.first = als.getStore(); });
    setImmediate(() => { seen.second = als.getStore(); });
    setImmediate(() => { als.disable(); seen.third = als.getStore(); });
    setImmediate(() => { seen.fourth = als.getStore(); resolve(); });
  }));
  r.log('seen', seen);
});

scenario('resource scopes: tick and promise scheduled inside runInAsyncScope', async (r) => {
  const als = new h.AsyncLocalStorage();
  const res = als.run('resource', () => new h.AsyncResource('Sched'));
  const got = await als.run('caller', () => res.runInAsyncScope(() => Promise.all([
    new Promise((resolve) => process.nextTick(() => resolve(als.getStore()))),
    Promise.resolve().then(() => als.getStore()),
    new Promise((resolve) => setTimeout(() => resolve(als.getStore()), 1)),
  ])));
  r.log('scheduled inside scope', got);
});

scenario('many instances, enter/disable in shuffled order, then capture', async (r) => {
  const list = Array.from({ length: 20 }, () => new h.AsyncLocalStorage({ name: 'n' }));
  const order = [7, 3, 19, 0, 11, 5, 14, 2, 9, 16, 1, 18, 4, 13, 6, 10, 17, 8, 15, 12];
  const read = () => list.map((a) => a.getStore());
  await list[0].run('root', async () => {
    for (const i of order) list[i].enterWith(`e${i}`);
    const finish = captureAll(read);
    for (const i of order.slice(0, 5)) list[i].disable();
    for (const i of order.slice(5, 10)) list[i].enterWith(`f${i}`);
    r.log('captures', await finish());
    r.log('current', read());
    await tick();
    r.log('after tick', read());
  });
  r.log('features.name used', features.name);
});

// run() restores the prior frame without copying when the frame it entered
// was captured and left unchanged; these interleavings must still restore
// exactly what the built-in restores.
scenario('run() restore after captures, nested runs and enterWith of others', async (r) => {
  const a = new h.AsyncLocalStorage();
  const b = new h.AsyncLocalStorage();
  const d = new h.AsyncLocalStorage({ defaultValue: 'dflt' }); // ignored where unsupported
  const seen = [];
  const capture = (label) => seen.push(Promise.resolve().then(() => [label, a.getStore(), b.getStore(), d.getStore()]));
  const state = (label) => r.log(label, [a.getStore(), b.getStore(), d.getStore()]);
  b.run('b0', () => {
    a.run('a1', () => { capture('captured in a1'); });
    state('after a1 (captured)');
    a.run('a2', () => { capture('in a2'); b.enterWith('b-entered'); state('a2 after b.enterWith'); });
    state('after a2 (b entered inside)');
    a.run('a3', () => { capture('in a3'); b.run('b3', () => capture('in b3')); state('a3 after b3'); });
    state('after a3');
    d.run('d1', () => { capture('in d1'); });
    state('after d1 (default value)');
    a.run('a4', () => { capture('in a4'); a.enterWith('a4-entered'); capture('a4 entered'); });
    state('after a4 (own enterWith inside)');
    a.run('a5', () => { capture('in a5'); d.run('d5', () => {}); });
    state('after a5 (d ran inside)');
  });
  state('outside');
  for (const entry of await Promise.all(seen)) r.log('continuation', entry);
});

// Node 24+ promise hooks give every enabled instance an entry in each new
// resource (undefined when the parent had none), which hides defaultValue;
// disabled instances get none. Observed through every kind of capture.
scenario('defaultValue seen from resources created with and without an entry', async (r) => {
  const d = new h.AsyncLocalStorage({ defaultValue: 'dflt' }); // ignored where unsupported
  const other = new h.AsyncLocalStorage();
  const read = () => d.getStore();
  const seen = [];
  const later = (label) => seen.push(new Promise((resolve) => setImmediate(() => resolve([label, read()]))));
  later('created at top');
  other.run('o', () => later('created inside another instance run'));
  d.run('x', () => later('created inside own run'));
  d.disable();
  later('created while disabled');
  d.run('y', () => {});
  later('created after re-enable');
  r.log('top after all', read());
  for (const entry of await Promise.all(seen)) r.log('continuation', entry);
  r.log('then()', await Promise.resolve().then(read));
});
