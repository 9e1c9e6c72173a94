'use strict';
// As 14-first-instance.js, with a defaultValue on the first instance the
// process creates (Node 24+): the value getStore() falls back to when that
// instance's store is absent, as opposed to present and undefined, in every
// place its entry can be missing.
const { h, scenario, tick } = require('../harness');

const first = new h.AsyncLocalStorage({ defaultValue: 'D1' });
const later = new h.AsyncLocalStorage({ defaultValue: 'D2' });
const stores = () => [first.getStore(), later.getStore()];

scenario('first instance with a defaultValue: absent, present, present undefined', async (r) => {
  r.log('never entered', stores());
  first.run('a', () => r.log('run', stores()));
  first.run(undefined, () => r.log('run(undefined)', stores()));
  first.exit(() => r.log('exit', stores()));
  later.run('b', () => r.log('later run', stores()));
  await first.run('c', async () => {
    first.exit(() => r.log('exit inside run', stores()));
    await tick();
    r.log('after await', stores());
    later.run(undefined, () => r.log('later run(undefined) inside', stores()));
  });
  r.log('after all runs', stores());
});

scenario('first instance with a defaultValue: enterWith, disable(), captures', async (r) => {
  await new Promise((resolve) => setImmediate(resolve)).then(async () => {
    const none = h.AsyncLocalStorage.snapshot();
    first.enterWith(undefined);
    r.log('entered undefined', stores());
    const present = h.AsyncLocalStorage.snapshot();
    first.enterWith('e');
    later.enterWith('l');
    r.log('entered', stores());
    r.log('captured before any entry', none(stores));
    r.log('captured with undefined', present(stores));
    const timer = new Promise((resolve) => setTimeout(() => resolve(stores()), 1));
    first.disable();
    r.log('after disable', stores());
    r.log('timer set before disable', await timer);
    first.run('again', () => r.log('run after disable', stores()));
    r.log('after that run', stores());
  });
});
