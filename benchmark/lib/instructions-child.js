'use strict';
// One process = one (implementation, case, op count). Run under callgrind
// by benchmark/instructions.js, which subtracts the count of a run with
// ops = 0 from one with ops = N: what is left is the cost of N operations,
// warm-up and start-up excluded.
//
//   node instructions-child.js <builtin|ours> <case> <live instances> <ops> [windows]
//
// With windows = K (async cases only): after the warm-up, K pairs of an empty
// window and a window of <ops> operations, each window opened by a call of
// process.cpuUsage(), the marker on which benchmark/instructions.js has
// callgrind dump its counters (--dump-before): one count per window, so a
// collection or compile that lands in one window shows as that window's
// outlier instead of moving the whole count.

const { loadImpl } = require('./impls');

const [implName, caseName, liveArg, opsArg, windowsArg = '0'] = process.argv.slice(2);
const live = Number(liveArg);
const ops = Number(opsArg);
const windows = Number(windowsArg);
const impl = loadImpl(implName);
const instances = Array.from({ length: live }, () => impl.create());
const a = instances[0];
const last = instances[instances.length - 1];
const WARMUP = 20000;
let sink = 0;

function noop() {}
const s3 = { s: 3 };
function nestedRun() { a.run(s3, noop); }
async function awaitChain() { for (let j = 0; j < 10; j++) await null; }

const SCHEDULERS = {
  setTimeout: (cb) => setTimeout(cb, 0),
  setImmediate: (cb) => setImmediate(cb),
  nextTick: (cb) => process.nextTick(cb),
};

const CASES = {
  // inside a run() of every live instance
  getStore: { entered: true, sync(n) { for (let i = 0; i < n; i++) if (a.getStore() !== undefined) sink++; } },
  getStoreLast: { entered: true, sync(n) { for (let i = 0; i < n; i++) if (last.getStore() !== undefined) sink++; } },
  // one op = getStore() of the first and of the last instance created: the
  // same method reading both kinds of instance, as in an app where several
  // libraries keep stores
  getStoreMixed: { entered: true, sync(n) { for (let i = 0; i < n; i++) if (a.getStore() !== last.getStore()) sink++; } },
  run: { entered: true, sync(n) { const s1 = { s: 1 }, s2 = { s: 2 }; for (let i = 0; i < n; i++) a.run(i & 1 ? s1 : s2, noop); } },
  // one op = a run() with a run() of the same instance nested inside it, as
  // frameworks enter contexts (OpenTelemetry's with() inside with()): the
  // inner run() writes into a context that already holds this instance's
  // entry, and its exit restores the outer one
  runNested: { entered: true, sync(n) { const s1 = { s: 1 }, s2 = { s: 2 }; for (let i = 0; i < n; i++) a.run(i & 1 ? s1 : s2, nestedRun); } },
  // one op = an async function awaiting 10 resolved promises, in its own run()
  await: { entered: true, async async(n) { for (let i = 0; i < n; i++) await a.run(i, awaitChain); } },
  // one op = one `await` inside a context entered once (no run() per op):
  // the propagation cost alone
  awaitInside: { entered: true, async async(n) {
    const expected = a.getStore();
    for (let i = 0; i < n; i++) await null;
    if (a.getStore() !== expected) throw new Error('store lost across await');
  } },
};
for (const kind of Object.keys(SCHEDULERS)) {
  // one op = one callback scheduled inside a context, reading the store
  // Warmed up with as many callbacks as are counted: after 2,000 (the
  // other async cases' warm-up) TurboFan was still compiling inside the
  // counted window, several hundred instructions per callback of compiler
  // work that differed between implementations (callgrind_annotate, Node 20
  // nextTick: ~+300 per op in compiler phases for ours, +24 in JIT code).
  // In window mode (below) 60,000: on Node 24 and 26 the windows after
  // 20,000 still ran ~20% above their final level until an optimizing
  // compile 30,000 callbacks later (2026-12-01, every window printed).
  CASES[kind] = { entered: true, warmup: 20000, windowWarmup: 60000, async async(n) {
    const schedule = SCHEDULERS[kind];
    const expected = a.getStore();
    for (let done = 0; done < n; done += 1000) {
      await new Promise((resolve, reject) => {
        let left = 1000;
        const cb = () => {
          if (a.getStore() !== expected) reject(new Error('store lost in callback'));
          if (--left === 0) resolve();
        };
        for (let i = 0; i < 1000; i++) schedule(cb);
      });
    }
  } };
}

const c = CASES[caseName];
if (c === undefined) throw new Error(`unknown case ${caseName}`);
// Synchronous cases warm up through many short calls, so the measured call
// runs the function's regular optimized code, as a hot function in an app
// does, rather than code compiled on-stack-replacement in the middle of one
// long loop (which executes more instructions per iteration for both).
if (windows > 0 && !c.async) throw new Error('windows are for async cases');
// The marker: a native call nothing else in the process makes.
const mark = () => { process.cpuUsage(); };
async function windowed() {
  for (let k = 0; k < windows; k++) {
    mark();
    await c.async(0);
    mark();
    await c.async(ops);
  }
  mark();
}
let body = c.sync ? () => { for (let w = 0; w < 20; w++) c.sync(WARMUP / 4); c.sync(ops); }
  : windows > 0 ? async () => { await c.async(c.windowWarmup ?? c.warmup ?? WARMUP / 10); await windowed(); }
    : async () => { await c.async(c.warmup ?? WARMUP / 10); await c.async(ops); };
// Enter every live instance (the last one innermost is `a`).
for (let k = instances.length - 1; k >= 0; k--) {
  const inner = body;
  const inst = instances[k];
  body = () => inst.run({ instance: k }, inner);
}
Promise.resolve(body()).then(() => { if (sink < 0) console.log(sink); });
