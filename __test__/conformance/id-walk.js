'use strict';
// One pass over the ways user code makes async resources (promises and
// await, timers, immediates, nextTick, queueMicrotask), recording the ids
// each one takes and executionAsyncId()/triggerAsyncId() inside each
// callback, relative to the recorder's base. Sequential, so the event loop
// never decides an order.

const asyncIdSymbol = Object.getOwnPropertySymbols(setImmediate(() => {}))
  .find((symbol) => symbol.description === 'asyncId');

function immediateId(immediate) {
  return immediate[asyncIdSymbol];
}

async function walk(r, h, prefix = '') {
  const ids = (label) => r.asyncIds(`${prefix}${label}`, h);
  ids('start');
  await null;
  ids('after await null');
  await new Promise((resolve) => resolve());
  ids('after await new Promise');
  await Promise.resolve().then(() => ids('then callback'));
  ids('after then');
  await (async () => {
    ids('async function');
    await null;
    ids('async function after await');
  })();
  await new Promise((resolve) => process.nextTick(() => { ids('nextTick'); resolve(); }));
  await new Promise((resolve) => queueMicrotask(() => { ids('queueMicrotask'); resolve(); }));
  await new Promise((resolve) => {
    const immediate = setImmediate(() => { ids('setImmediate'); resolve(); });
    r.raw(`${prefix}immediate id`, r.rel(immediateId(immediate)));
  });
  await new Promise((resolve) => {
    const timer = setTimeout(() => { ids('setTimeout'); resolve(); }, 1);
    r.raw(`${prefix}timer id`, r.rel(+timer));
  });
  await new Promise((resolve) => {
    const interval = setInterval(() => { ids('setInterval'); clearInterval(interval); resolve(); }, 1);
    r.raw(`${prefix}interval id`, r.rel(+interval));
  });
  ids('end');
}

// walk() under a user hook whose event log is recorded after it.
async function walkHooked(r, h, prefix = '') {
  const log = r.hookLog(h, `${prefix}hook events`).enable();
  await walk(r, h, prefix);
  log.stop();
}

// For a scenario file's top level (the main script, right after the
// implementation loaded): ids a promise, a timer, an immediate and an await
// continuation take. Returns the continuation; `load` keeps the records
// for a scenario to include().
function recordMainScript(load, h) {
  load.asyncIds('top level', h);
  let timer;
  const pending = new Promise((resolve) => { timer = setTimeout(resolve, 1); });
  load.raw('timer created after a promise', load.rel(+timer));
  load.raw('immediate', load.rel(immediateId(setImmediate(() => {}))));
  return (async () => {
    await pending;
    load.asyncIds('await continuation', h);
    await null;
    load.asyncIds('after await null', h);
  })();
}

module.exports = { walk, walkHooked, recordMainScript };
