'use strict';
// Child-process side of benchmark/micro.js. One invocation measures one case
// and prints one JSON line on stdout. Spawned by micro.js as
//   node [flags] benchmark/lib/micro-child.js '<json spec>'
//
// spec.kind:
// Every kind loads ONE implementation (spec.impl) only; micro.js interleaves
// the processes (A B C A B C ...). Two implementations in one process share
// AsyncLocalStorage.prototype code and its inline-cache feedback (ours is
// built on one built-in instance), which skews sync cases by up to 1.5x.
//
//   sync    getStore()/run() in a loop compiled for this case only.
//   await   an async function awaiting
//           10 resolved promises, inside spec.live entered instances.
//   timers  one implementation only: setTimeout(0) / setImmediate /
//           process.nextTick callbacks scheduled inside a context.
//   memory  one implementation only (needs --expose-gc): heap retained by
//           spec.count pending async functions each started in its own run().

const { loadImpl, enterAll } = require('./impls');

// Clock: 'cpu' = CPU time of this whole process (all threads, microsecond
// resolution), so time spent descheduled on a shared machine is not counted;
// 'wall' = process.hrtime. Chosen by spec.clock (micro.js --clock).
const wallNow = () => Number(process.hrtime.bigint());
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};
let now = cpuNow;

function makeStores(n, tag) {
  return Array.from({ length: n }, (_, i) => ({ lib: i, id: `${tag}-${i}` }));
}

// ---------------------------------------------------------------- sync ----

const SYNC_CASES = {
  // inside run() of the instance read, `live` instances entered
  'getStore-in': { body: 'a.getStore()', entered: true },
  // instance created (and used once) but no context entered
  'getStore-out': { body: 'a.getStore()', entered: false },
  // run(store, noop) on the first of `live` entered instances
  run: { body: 'a.run(store, noop)', entered: true },
};

function syncCase(spec) {
  const def = SYNC_CASES[spec.case];
  if (!def) throw new Error(`unknown sync case ${spec.case}`);
  const name = spec.impl;
  const impl = loadImpl(name);
  const instances = Array.from({ length: Math.max(1, spec.live) }, () => impl.create());
  const stores = makeStores(instances.length, name);
  const a = instances[0];
  const loop = new Function('a', 'store', 'noop', 'n',
    `'use strict'; let r; for (let i = 0; i < n; i++) { r = ${def.body}; } return r;`);
  const opStore = { op: true };
  const noop = () => 0;
  // Use the instance once (the built-in enables itself lazily), then check
  // the context is what the case claims.
  a.run(opStore, noop);
  const check = def.entered ? enterAll(instances, stores, () => a.getStore()) : a.getStore();
  if (def.entered ? check !== stores[0] : check !== undefined) {
    throw new Error(`${name}: getStore() returned ${JSON.stringify(check)} in case ${spec.case}`);
  }
  const sample = (n) => {
    const timed = () => {
      const t0 = now();
      loop(a, opStore, noop, n);
      return (now() - t0) / n;
    };
    return def.entered ? enterAll(instances, stores, timed) : timed();
  };
  // calibrate: n such that one sample takes about spec.sampleMs
  let n = 1000;
  for (;;) {
    const ns = sample(n) * n;
    if (ns >= 5e6 || n >= 1e9) {
      n = Math.max(1000, Math.ceil(n * (spec.sampleMs * 1e6) / ns));
      break;
    }
    n *= 4;
  }
  // Warm-up until spec.warmupMs of samples have run: an implementation
  // whose code takes longer to reach optimized steady state (tiering,
  // deopt/reopt) would otherwise be measured mid-way.
  for (let spent = 0; spent < spec.warmupMs * 1e6;) spent += sample(n) * n;
  const samples = [];
  for (let s = 0; s < spec.samples; s++) samples.push(sample(n));
  return { samples };
}

// --------------------------------------------------------------- await ----

async function chain(a, expected) {
  let v = 0;
  for (let i = 0; i < 10; i++) v += await Promise.resolve(i);
  if (a.getStore() !== expected) throw new Error('store lost across await');
  return v;
}

async function awaitCase(spec) {
  const impl = loadImpl(spec.impl);
  const live = Math.max(1, spec.live);
  const instances = Array.from({ length: live }, () => impl.create());
  const stores = makeStores(live, spec.impl);
  const a = instances[0];
  const expected = spec.impl === 'none' ? a.getStore() : stores[0];
  const measure = async () => {
    const sample = async (n) => {
      const t0 = now();
      for (let i = 0; i < n; i++) await chain(a, expected);
      return (now() - t0) / n;
    };
    let n = 200;
    for (;;) {
      const ns = (await sample(n)) * n;
      if (ns >= 20e6) { n = Math.max(100, Math.ceil(n * (spec.sampleMs * 1e6) / ns)); break; }
      n *= 2;
    }
    for (let spent = 0; spent < spec.warmupMs * 1e6;) spent += (await sample(n)) * n; // warm-up
    const samples = [];
    for (let s = 0; s < spec.samples; s++) samples.push(await sample(n));
    return samples;
  };
  return { samples: await enterAll(instances, stores, measure) };
}

// -------------------------------------------------------------- timers ----

const SCHEDULERS = {
  setTimeout: (cb) => setTimeout(cb, 0),
  setImmediate: (cb) => setImmediate(cb),
  nextTick: (cb) => process.nextTick(cb),
};

async function timersCase(spec) {
  const impl = loadImpl(spec.impl);
  const a = impl.create();
  const store = { lib: 0, id: 'timers' };
  const expected = spec.impl === 'none' ? a.getStore() : store;
  const batch = (schedule, size) => new Promise((resolve, reject) => {
    let left = size;
    const cb = () => {
      if (a.getStore() !== expected) reject(new Error('store lost in callback'));
      if (--left === 0) resolve();
    };
    for (let i = 0; i < size; i++) schedule(cb);
  });
  const result = {};
  await a.run(store, async () => {
    for (const kind of spec.kinds) {
      const schedule = SCHEDULERS[kind];
      // warm-up for spec.warmupMs, which also calibrates: enough batches
      // per sample for about spec.sampleMs
      let t0 = now();
      let warmed = 0;
      do {
        await batch(schedule, spec.batch);
        warmed++;
      } while (now() - t0 < spec.warmupMs * 1e6 && warmed < 100);
      t0 = now();
      await batch(schedule, spec.batch);
      const perBatch = Math.max(1, now() - t0);
      const batches = Math.max(1, Math.min(50, Math.round((spec.sampleMs * 1e6) / perBatch)));
      const samples = [];
      for (let s = 0; s < spec.samples; s++) {
        t0 = now();
        for (let b = 0; b < batches; b++) await batch(schedule, spec.batch);
        samples.push((now() - t0) / (spec.batch * batches));
      }
      result[kind] = samples;
    }
  });
  return { samples: result };
}

// -------------------------------------------------------------- memory ----

async function memoryCase(spec) {
  if (typeof global.gc !== 'function') throw new Error('memory case needs --expose-gc');
  const impl = loadImpl(spec.impl);
  const a = impl.create();
  const none = spec.impl === 'none';
  const fullGc = () => { for (let i = 0; i < 4; i++) global.gc(); };

  const spawnAll = (count, gate) => {
    const pending = new Array(count);
    for (let i = 0; i < count; i++) {
      const store = { id: i };
      // Same closure shape for every implementation; the baseline keeps the
      // store alive through the closure so only the context cost differs.
      pending[i] = a.run(store, async () => {
        await gate;
        const s = none ? store : a.getStore();
        return s.id;
      });
    }
    return pending;
  };
  const verify = async (pending) => {
    const values = await Promise.all(pending);
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== i) throw new Error(`context ${i} read ${values[i]}`);
    }
  };
  // Warm-up round so code, hidden classes and hook machinery exist before
  // the baseline heap is taken.
  {
    let release;
    const gate = new Promise((r) => { release = r; });
    const pending = spawnAll(1000, gate);
    release();
    await verify(pending);
  }
  await new Promise((r) => setImmediate(r));
  fullGc();
  const before = process.memoryUsage().heapUsed;
  let release;
  const gate = new Promise((r) => { release = r; });
  const pending = spawnAll(spec.count, gate);
  fullGc();
  const after = process.memoryUsage().heapUsed;
  release();
  await verify(pending);
  return { samples: [(after - before) / spec.count], heapDelta: after - before };
}

// ---------------------------------------------------------------- main ----

async function main() {
  const spec = JSON.parse(process.argv[2]);
  now = spec.clock === 'wall' ? wallNow : cpuNow;
  let result;
  switch (spec.kind) {
    case 'sync': result = syncCase(spec); break;
    case 'await': result = await awaitCase(spec); break;
    case 'timers': result = await timersCase(spec); break;
    case 'memory': result = await memoryCase(spec); break;
    default: throw new Error(`unknown kind ${spec.kind}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  console.error(err && err.stack || err);
  process.exit(1);
});
