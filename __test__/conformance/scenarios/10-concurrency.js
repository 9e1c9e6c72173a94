'use strict';
// Many interleaved contexts, deep nesting, many instances.
const { h, scenario, tick } = require('../harness');

// Deterministic PRNG so both implementations get the same schedule.
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomWait(rand) {
  const k = Math.floor(rand() * 5);
  if (k === 0) return null;
  if (k === 1) return tick();
  if (k === 2) return new Promise((resolve) => setTimeout(resolve, Math.floor(rand() * 3)));
  if (k === 3) return new Promise((resolve) => process.nextTick(resolve));
  return new Promise((resolve) => queueMicrotask(resolve));
}

scenario('500 interleaved contexts never mix', async (r) => {
  const als = new h.AsyncLocalStorage();
  const other = new h.AsyncLocalStorage();
  const rand = prng(42);
  const waits = Array.from({ length: 500 }, () => Array.from({ length: 4 }, () => rand()));
  let ok = 0;
  let mixed = 0;
  const mismatches = [];
  await Promise.all(waits.map((plan, i) => als.run({ id: i }, () => other.run(-i, async () => {
    const localRand = prng(i + 1);
    for (const step of plan) {
      await randomWait(localRand);
      if (step < 0.2) {
        // Nested run of the same instance must restore on exit.
        await als.run({ id: i, nested: true }, async () => { await randomWait(localRand); });
      }
      const s = als.getStore();
      if (s?.id === i && !s.nested && Object.is(other.getStore(), -i)) ok++;
      else { mixed++; if (mismatches.length < 5) mismatches.push([i, s, other.getStore()]); }
    }
  }))));
  r.log('ok', ok);
  r.log('mixed', mixed);
  r.log('first mismatches', mismatches);
  r.log('after', [als.getStore(), other.getStore()]);
}, { timeout: 30_000 });

scenario('interleaved contexts with enterWith inside each task', async (r) => {
  const als = new h.AsyncLocalStorage();
  let ok = 0;
  await Promise.all(Array.from({ length: 200 }, (_, i) => als.run(i, async () => {
    await tick();
    als.enterWith(`e${i}`);
    await new Promise((resolve) => setTimeout(resolve, i % 3));
    if (als.getStore() === `e${i}`) ok++;
    await null;
    if (als.getStore() === `e${i}`) ok++;
  })));
  r.log('ok', ok);
  r.log('after', als.getStore());
});

scenario('1000-deep nested run', async (r) => {
  const als = new h.AsyncLocalStorage();
  let maxDepth = 0;
  let consistent = true;
  function nest(d) {
    if (als.getStore() !== d) consistent = false;
    if (d === 1000) { maxDepth = d; return als.getStore(); }
    const v = als.run(d + 1, nest, d + 1);
    if (als.getStore() !== d) consistent = false;
    return v;
  }
  r.log('deepest store', als.run(0, nest, 0));
  r.log('max depth', maxDepth);
  r.log('consistent', consistent);
  r.log('after', als.getStore());
  const p = als.run(0, function deepAsync(d = 0) {
    if (d === 1000) return (async () => { await tick(); return als.getStore(); })();
    return als.run(d + 1, deepAsync, d + 1);
  });
  r.log('deep async continuation', await p);
});

scenario('deep nesting across instances with throw at the bottom', (r) => {
  const instances = Array.from({ length: 10 }, () => new h.AsyncLocalStorage());
  function nest(d) {
    if (d === 300) throw new Error('bottom');
    return instances[d % 10].run(d, nest, d + 1);
  }
  r.attempt('throw from depth 300', () => nest(0));
  r.log('all restored', instances.map((i) => i.getStore()));
});

for (const n of [1, 5, 10]) {
  scenario(`${n} instances in the same frame`, async (r) => {
    const list = Array.from({ length: n }, () => new h.AsyncLocalStorage());
    function runAll(i, fn) {
      if (i === n) return fn();
      return list[i].run(`s${i}`, runAll, i + 1, fn);
    }
    await runAll(0, async () => {
      r.log('sync', list.map((a) => a.getStore()));
      await tick();
      r.log('after await', list.map((a) => a.getStore()));
      list[0].enterWith('changed0');
      await new Promise((resolve) => setTimeout(resolve, 1));
      r.log('after enterWith + timer', list.map((a) => a.getStore()));
      if (n > 1) {
        list[n - 1].exit(() => r.log('exit last', list.map((a) => a.getStore())));
        list[1].disable();
        await tick();
        r.log('after disabling #1', list.map((a) => a.getStore()));
      }
    });
    r.log('outside', list.map((a) => a.getStore()));
  });
}

scenario('nested runs of different instances and interleaved exits', async (r) => {
  const a = new h.AsyncLocalStorage();
  const b = new h.AsyncLocalStorage();
  await a.run('a1', () => b.run('b1', async () => {
    await a.run('a2', async () => {
      await tick();
      r.log('a2/b1', [a.getStore(), b.getStore()]);
      await b.exit(async () => {
        await tick();
        r.log('a2/exit b', [a.getStore(), b.getStore()]);
        a.exit(() => r.log('exit a in exit b', [a.getStore(), b.getStore()]));
      });
      r.log('back a2/b1', [a.getStore(), b.getStore()]);
    });
    r.log('back a1/b1', [a.getStore(), b.getStore()]);
  }));
});

scenario('instances created inside a run and inside continuations', async (r) => {
  const outer = new h.AsyncLocalStorage();
  const created = await outer.run('o', async () => {
    const inner = new h.AsyncLocalStorage();
    r.log('new instance inside run', inner.getStore());
    await tick();
    const late = new h.AsyncLocalStorage();
    late.enterWith('late');
    const inner2 = inner.run('i', async () => {
      await tick();
      return [outer.getStore(), inner.getStore(), late.getStore()];
    });
    return [inner, late, await inner2];
  });
  r.log('stores seen', created[2]);
  r.log('created instances outside', [created[0].getStore(), created[1].getStore()]);
});

scenario('many short-lived instances', (r) => {
  let ok = 0;
  for (let i = 0; i < 300; i++) {
    const als = new h.AsyncLocalStorage();
    als.run(i, () => { if (als.getStore() === i) ok++; });
    if (i % 2) als.disable();
  }
  r.log('ok', ok);
  const keep = new h.AsyncLocalStorage();
  keep.run('k', () => r.log('fresh after churn', keep.getStore()));
});
