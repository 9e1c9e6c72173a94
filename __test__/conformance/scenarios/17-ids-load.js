'use strict';
// Async ids and hook events from load on, with no instance created: loading
// the implementation (index, or register under IMPL=register) must switch
// nothing on, so promises created in the rest of the main script take no
// async id. Observed at the top level of this file, which runs right after
// the harness loaded the implementation, before any microtask.
const { h, scenario, tick } = require('../harness');
const { Recorder } = require('../recorder');
const { walk, walkHooked, recordMainScript } = require('../id-walk');

const load = new Recorder().setBase(h);
const continuation = recordMainScript(load, h);
load.raw('second timer', load.rel(+setTimeout(() => {}, 1)));
// Created while no hook is on, so it has no id until a hook needs one:
// then the built-in gives it the next id, not one from before the base.
let settleEarly;
const early = new Promise((resolve) => { settleEarly = resolve; });

scenario('load only: ids taken by the main script and its continuations', async (r) => {
  await continuation;
  r.include(load);
  r.asyncIds('scenario start', h);
  await null;
  r.asyncIds('after await null', h);
});

scenario('load only: timers, immediates, nextTick, queueMicrotask, promises, no context', async (r) => {
  r.setBase(h);
  await walk(r, h);
});

scenario("load only: a user hook sees the built-in's events", async (r) => {
  r.setBase(h);
  await walkHooked(r, h);
  await tick();
  r.setBase(h);
  await walk(r, h, 'hook disabled: ');
});

scenario('load only: a promise from the main script awaited in a context', async (r) => {
  r.setBase(h);
  const als = new h.AsyncLocalStorage();
  await als.run('ctx', async () => {
    setTimeout(settleEarly, 1);
    await early;
    r.asyncIds('continuation', h);
    r.log('store', als.getStore());
  });
  als.disable();
  r.asyncIds('after disable', h);
});
