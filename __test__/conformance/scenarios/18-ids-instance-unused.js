'use strict';
// Async ids and hook events in a process that created an instance and never
// ran it: the built-in switches its hook on at the first run()/enterWith()
// on Node 20/22 and in the constructor on Node 24+, and ours must do
// exactly the same (observed from the top level of this file on).
const { h, scenario, tick } = require('../harness');
const { Recorder } = require('../recorder');
const { walk, walkHooked, recordMainScript } = require('../id-walk');

const load = new Recorder().setBase(h);
const unused = new h.AsyncLocalStorage();
const continuation = recordMainScript(load, h);

scenario('instance never run: ids from load on', async (r) => {
  await continuation;
  r.include(load);
  r.log('store', unused.getStore());
  r.setBase(h);
  await walk(r, h);
});

scenario('instance never run: a user hook\'s events', async (r) => {
  r.setBase(h);
  await walkHooked(r, h);
});

scenario('instance never run: exit() and disable() of it', async (r) => {
  r.setBase(h);
  unused.exit(() => r.asyncIds('inside exit', h));
  await walk(r, h, 'after exit: ');
  unused.disable();
  r.asyncIds('after disable', h);
  await tick();
  r.setBase(h);
  await walk(r, h, 'after disable: ');
});
