'use strict';
// Async ids and hook events around run(), enterWith() and disable(): the
// same ids taken, in the same order, inside and outside a context, with a
// user's createHook enabled before or after the hook of the first run().
// Every scenario disables its instances, so each starts with no storage
// hook enabled (promise hooks go off in a microtask after that).
const { h, scenario, tick } = require('../harness');
const { walk, walkHooked } = require('../id-walk');

// Past the microtask that turns promise hooks off after a disable(), then
// the base.
async function start(r) {
  await tick();
  r.setBase(h);
}

scenario('run then disable: ids inside and outside the context', async (r) => {
  await start(r);
  const als = new h.AsyncLocalStorage();
  r.asyncIds('constructed', h);
  await als.run('ctx', async () => {
    r.log('store', als.getStore());
    await walk(r, h, 'in context: ');
    r.log('store after walk', als.getStore());
  });
  r.asyncIds('after run', h);
  await walk(r, h, 'no context, enabled: ');
  als.disable();
  r.asyncIds('after disable', h);
  await null;
  r.asyncIds('after disable, await null', h);
  await tick();
  await walk(r, h, 'disabled: ');
});

scenario('run then disable: what a user hook sees', async (r) => {
  await start(r);
  const log = r.hookLog(h).enable();
  const als = new h.AsyncLocalStorage();
  await als.run('ctx', () => walk(r, h, 'in context: '));
  await walk(r, h, 'no context: ');
  als.disable();
  await walk(r, h, 'disabled: ');
  log.stop();
});

for (const when of ['before', 'after']) {
  scenario(`a user's createHook enabled ${when} the first run()`, async (r) => {
    await start(r);
    const log = r.hookLog(h);
    if (when === 'before') log.enable();
    const als = new h.AsyncLocalStorage();
    await als.run('ctx', async () => {
      if (when === 'after') log.enable();
      r.asyncIds('entered', h);
      await null;
      r.asyncIds('after await', h);
      await new Promise((resolve) => setTimeout(resolve, 1));
      r.asyncIds('after a timer', h);
      r.log('store', als.getStore());
    });
    als.disable();
    await null;
    log.stop();
  });
}

scenario('enterWith() as the first use, then exit() and disable()', async (r) => {
  await start(r);
  const log = r.hookLog(h);
  const als = new h.AsyncLocalStorage();
  await new Promise((resolve) => setImmediate(resolve)).then(async () => {
    als.enterWith('e');
    r.asyncIds('entered', h);
    await null;
    r.asyncIds('after await', h);
    log.enable();
    als.exit(() => {
      r.asyncIds('inside exit', h);
      Promise.resolve().then(() => r.log('exit then', als.getStore()));
    });
    await null;
    r.log('store', als.getStore());
    als.disable();
    await null;
    r.asyncIds('after disable', h);
  });
  log.stop();
  await start(r);
  await walk(r, h, 'after all: ');
});

scenario('two instances, one disabled', async (r) => {
  await start(r);
  const log = r.hookLog(h).enable();
  const a = new h.AsyncLocalStorage();
  const b = new h.AsyncLocalStorage();
  await a.run('a', () => b.run('b', async () => {
    await null;
    a.disable();
    await walk(r, h, 'b only: ');
    r.log('stores', [a.getStore(), b.getStore()]);
  }));
  b.disable();
  await walk(r, h, 'both disabled: ');
  log.stop();
});

scenario('snapshot, bind and AsyncResource in a context', async (r) => {
  await start(r);
  const log = r.hookLog(h).enable();
  const als = new h.AsyncLocalStorage();
  const [snapshot, bound] = als.run('ctx', () => [h.AsyncLocalStorage.snapshot(), h.AsyncLocalStorage.bind(() => als.getStore())]);
  r.log('snapshot', snapshot(() => als.getStore()));
  r.log('bound', bound());
  const resource = als.run('res', () => new h.AsyncResource('ConfIds'));
  r.raw('resource ids', [r.rel(resource.asyncId()), r.rel(resource.triggerAsyncId())]);
  resource.runInAsyncScope(() => r.asyncIds('in scope', h));
  await null;
  als.disable();
  log.stop();
});
