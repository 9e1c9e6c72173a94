'use strict';
// One process = one (workload, configuration, op count), run under
// callgrind by `node benchmark/tracker.js --instructions`, which subtracts
// the count of a run with ops = 0 from one with ops = N: what is left is
// the cost of N operations, start-up, set-up and warm-up excluded.
//
//   node tracker-instructions-child.js <workload> <configuration> <ops> [warm-up ops]
//
// Workloads and configurations are those of the timing mode
// (benchmark/tracker.js): the hook or tracker is set up first, everything
// runs inside a request context (runWithRequestContext), ops run in chunks
// of CHUNK scheduled at once.

const { runWithRequestContext } = require('../../lib/request');

const [workload, config, opsArg, warmupArg] = process.argv.slice(2);
const ops = Number(opsArg);
const CHUNK = 1000;
// Long enough for V8 to finish compiling the hooks (see benchmark/tracker.js).
const WARMUP = { promises: 5000, timers: 20000, immediates: 20000 };
const warmup = warmupArg === undefined ? WARMUP[workload] : Number(warmupArg);

async function chain() {
  let x = 0;
  for (let i = 0; i < 10; i++) x += await Promise.resolve(i);
  return x;
}

function scheduled(schedule) {
  return async (n) => {
    for (let done = 0; done < n; done += CHUNK) {
      const size = Math.min(CHUNK, n - done);
      await new Promise((resolve) => {
        let left = size;
        const cb = () => { if (--left === 0) resolve(); };
        for (let i = 0; i < size; i++) schedule(cb);
      });
    }
  };
}

const workloads = {
  // one op = one async call awaiting 10 resolved promises
  promises: async (n) => { for (let i = 0; i < n; i++) await chain(); },
  // one op = one setTimeout(0)
  timers: scheduled((cb) => setTimeout(cb, 0)),
  // one op = one setImmediate
  immediates: scheduled((cb) => setImmediate(cb)),
};

const noop = () => {};
function emptyHook(promises) {
  const { createHook } = require('node:async_hooks');
  const callbacks = { init: noop, before: noop, after: noop, destroy: noop };
  if (promises) callbacks.promiseResolve = noop;
  createHook(callbacks).enable();
}
function tracker(promises) {
  require('../../lib/tracker').trackResources({ promises });
}
const configs = {
  'none': noop,
  'empty-hook': () => emptyHook(false),
  'tracker': () => tracker(false),
  'empty-hook+promiseResolve': () => emptyHook(true),
  'tracker{promises}': () => tracker(true),
};

const run = workloads[workload];
if (run === undefined) throw new Error(`unknown workload ${workload}`);
if (configs[config] === undefined) throw new Error(`unknown configuration ${config}`);
if (!Number.isInteger(ops) || ops < 0) throw new Error(`bad op count ${opsArg}`);
if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`bad warm-up op count ${warmupArg}`);
configs[config]();
runWithRequestContext({}, async () => {
  await run(warmup);
  await run(ops);
}).catch((err) => {
  console.error(err);
  process.exit(1);
});
