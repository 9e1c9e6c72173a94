'use strict';
// disable(): the place where promise-hook and AsyncContextFrame mechanisms
// differ most (instance-wide switch vs. deletion from the current frame).
const { h, scenario, tick, sleep } = require('../harness');

scenario('disable inside run, then getStore now and later', async (r) => {
  const als = new h.AsyncLocalStorage();
  const later = [];
  await als.run('s', async () => {
    setTimeout(() => later.push(['timer created before disable', als.getStore()]), 1);
    const before = tick().then(() => later.push(['then created before disable', als.getStore()]));
    r.log('return of disable', als.disable());
    r.log('sync after disable', als.getStore());
    setTimeout(() => later.push(['timer created after disable', als.getStore()]), 1);
    await before;
    await tick();
    r.log('await after disable', als.getStore());
    await sleep(5);
  });
  // Timer vs immediate order is up to the event loop: sort by label.
  for (const [label, v] of later.sort((a, b) => a[0].localeCompare(b[0]))) r.log(label, v);
  r.log('top after', als.getStore());
});

scenario('disable is idempotent and works on a never-used instance', (r) => {
  const als = new h.AsyncLocalStorage();
  r.log('first', als.disable());
  r.log('second', als.disable());
  r.log('getStore', als.getStore());
  als.run('x', () => r.log('run after disable', als.getStore()));
  r.log('after', als.getStore());
});

scenario('re-enable via run and enterWith after disable', async (r) => {
  const als = new h.AsyncLocalStorage();
  als.enterWith('first');
  const pending = [];
  pending.push(new Promise((resolve) => setTimeout(() => {
    pending.seen1 = als.getStore();
    resolve();
  }, 2)));
  als.disable();
  r.log('disabled', als.getStore());
  als.run('second', () => {
    r.log('run after disable', als.getStore());
    pending.push(new Promise((resolve) => setImmediate(() => {
      pending.seen2 = als.getStore();
      resolve();
    })));
  });
  r.log('after re-enabling run', als.getStore());
  als.enterWith('third');
  r.log('after enterWith', als.getStore());
  await Promise.all(pending);
  r.log('timer from before disable', pending.seen1);
  r.log('immediate from re-enabling run', pending.seen2);
  r.log('end', als.getStore());
});

scenario('disable in one continuation, sibling continuations', async (r) => {
  const als = new h.AsyncLocalStorage();
  const results = [];
  await als.run('shared', async () => {
    const a = (async () => {
      await tick();
      als.disable();
      results.push(['a after disable', als.getStore()]);
    })();
    const b = (async () => {
      await tick();
      await tick();
      results.push(['b sibling', als.getStore()]);
    })();
    await Promise.all([a, b]);
    results.push(['parent after both', als.getStore()]);
  });
  for (const [label, v] of results) r.log(label, v);
});

scenario('disable one instance leaves others alone', async (r) => {
  const a = new h.AsyncLocalStorage();
  const b = new h.AsyncLocalStorage();
  await a.run('a', () => b.run('b', async () => {
    a.disable();
    r.log('a', a.getStore());
    r.log('b', b.getStore());
    await tick();
    r.log('a later', a.getStore());
    r.log('b later', b.getStore());
  }));
});

scenario('disable inside a timer callback', async (r) => {
  const als = new h.AsyncLocalStorage();
  await new Promise((resolve) => als.run('t', () => setTimeout(() => {
    als.disable();
    r.log('timer after disable', als.getStore());
    setImmediate(() => {
      r.log('immediate scheduled after disable', als.getStore());
      resolve();
    });
  }, 1)));
  als.run('again', () => r.log('run after', als.getStore()));
});

scenario('disable then AsyncResource created before it', (r) => {
  const als = new h.AsyncLocalStorage();
  const res = als.run('bound', () => new h.AsyncResource('X'));
  als.disable();
  res.runInAsyncScope(() => r.log('resource scope after disable', als.getStore()));
  als.run('re', () => {
    res.runInAsyncScope(() => r.log('resource scope after re-enable', als.getStore()));
  });
  r.log('end', als.getStore());
});

scenario('exit with the instance already disabled', (r) => {
  const als = new h.AsyncLocalStorage();
  als.run('x', () => {
    als.disable();
    r.log('exit return', als.exit(() => als.getStore()));
    r.log('after exit', als.getStore());
  });
});
