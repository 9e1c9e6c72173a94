'use strict';
// fast-async-hooks and node:async_hooks in ONE process: instances of both
// used together (interleaved run / enterWith / await / exit / disable) must
// not disturb each other, and mixing the two modules' classes (AsyncResource
// of one, AsyncLocalStorage of the other) must behave like the built-in
// alone does.

const { test } = require('node:test');
const assert = require('node:assert');
const { EventEmitterAsyncResource } = require('node:events');
const builtin = require('node:async_hooks');
const ours = require('..');

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('interleaved run/await: each instance keeps its own store', async () => {
  const a = new ours.AsyncLocalStorage();
  const b = new builtin.AsyncLocalStorage();
  const mismatches = [];
  const check = (label, ea, eb) => {
    const got = [a.getStore(), b.getStore()];
    if (got[0] !== ea || got[1] !== eb) mismatches.push({ label, got, want: [ea, eb] });
  };
  await Promise.all(Array.from({ length: 100 }, (_, i) => a.run(`a${i}`, () => b.run(`b${i}`, async () => {
    check(`${i} sync`, `a${i}`, `b${i}`);
    await tick();
    check(`${i} tick`, `a${i}`, `b${i}`);
    await b.run(`b${i}'`, async () => {
      await new Promise((resolve) => setTimeout(resolve, i % 3));
      check(`${i} nested b`, `a${i}`, `b${i}'`);
      await a.run(`a${i}'`, async () => {
        await null;
        check(`${i} nested a`, `a${i}'`, `b${i}'`);
      });
      check(`${i} after nested a`, `a${i}`, `b${i}'`);
    });
    check(`${i} after nested b`, `a${i}`, `b${i}`);
  }))));
  assert.deepStrictEqual(mismatches, []);
  check('outside', undefined, undefined);
  assert.deepStrictEqual(mismatches, []);
});

test('enterWith of one module does not leak into the other', async () => {
  const a = new ours.AsyncLocalStorage();
  const b = new builtin.AsyncLocalStorage();
  await a.run('a', async () => {
    b.enterWith('b-entered');
    assert.strictEqual(a.getStore(), 'a');
    await tick();
    a.enterWith('a-entered');
    assert.strictEqual(b.getStore(), 'b-entered');
    await null;
    assert.deepStrictEqual([a.getStore(), b.getStore()], ['a-entered', 'b-entered']);
    b.enterWith(undefined);
  });
  assert.strictEqual(a.getStore(), undefined);
});

test('exit and disable of one module leave the other alone', async () => {
  const a = new ours.AsyncLocalStorage();
  const b = new builtin.AsyncLocalStorage();
  await a.run('a', () => b.run('b', async () => {
    a.exit(() => assert.deepStrictEqual([a.getStore(), b.getStore()], [undefined, 'b']));
    b.exit(() => assert.deepStrictEqual([a.getStore(), b.getStore()], ['a', undefined]));
    b.disable();
    assert.deepStrictEqual([a.getStore(), b.getStore()], ['a', undefined]);
    await tick();
    assert.strictEqual(a.getStore(), 'a');
    a.disable();
    b.run('b2', () => assert.deepStrictEqual([a.getStore(), b.getStore()], [undefined, 'b2']));
  }));
});

// Records what one ALS class sees through resources of another module.
async function observeMix(ALS, Resource) {
  const als = new ALS();
  const out = [];
  const res = als.run('at-construction', () => new Resource('Mix'));
  out.push(als.run('caller', () => res.runInAsyncScope(() => als.getStore())));
  out.push(als.run('caller', () => Resource.bind(() => als.getStore())()));
  const bound = als.run('bound', () => Resource.bind(() => als.getStore()));
  out.push(als.run('caller', bound));
  const ee = als.run('emitter', () => new EventEmitterAsyncResource({ name: 'MixEE' }));
  ee.on('x', () => out.push(als.getStore()));
  als.run('emit', () => ee.emit('x'));
  await als.run('async', async () => {
    await tick();
    out.push(res.runInAsyncScope(() => als.getStore()));
    out.push(als.getStore());
  });
  out.push(als.getStore());
  als.disable();
  return out;
}

for (const [alsName, resName] of [['ours', 'builtin'], ['builtin', 'ours'], ['ours', 'ours']]) {
  test(`${alsName} AsyncLocalStorage through ${resName} AsyncResource behaves like the built-in`, async () => {
    const mods = { ours, builtin };
    const expected = await observeMix(builtin.AsyncLocalStorage, builtin.AsyncResource);
    const actual = await observeMix(mods[alsName].AsyncLocalStorage, mods[resName].AsyncResource);
    assert.deepStrictEqual(actual, expected);
  });
}

test('snapshot/bind of one module restore both modules\' stores', async () => {
  const a = new ours.AsyncLocalStorage();
  const b = new builtin.AsyncLocalStorage();
  const snapOurs = a.run('a', () => b.run('b', () => ours.AsyncLocalStorage.snapshot()));
  const snapBuiltin = a.run('a', () => b.run('b', () => builtin.AsyncLocalStorage.snapshot()));
  const read = () => [a.getStore(), b.getStore()];
  const expected = ['a', 'b'];
  assert.deepStrictEqual(a.run('x', () => b.run('y', () => snapOurs(read))), expected);
  assert.deepStrictEqual(a.run('x', () => b.run('y', () => snapBuiltin(read))), expected);
  await tick();
  assert.deepStrictEqual(snapOurs(read), expected);
  assert.deepStrictEqual(snapBuiltin(read), expected);
  a.disable();
  b.disable();
});

test('hooks of either module see the same resources for the same work', async () => {
  async function typesSeen(mod) {
    const types = [];
    const hook = mod.createHook({ init(id, type) { if (type === 'Timeout' || type === 'Immediate') types.push(type); } }).enable();
    const a = new ours.AsyncLocalStorage();
    const b = new builtin.AsyncLocalStorage();
    await a.run(1, () => b.run(2, () => new Promise((resolve) => setTimeout(resolve, 1))));
    await new Promise((resolve) => setImmediate(resolve));
    hook.disable();
    a.disable();
    b.disable();
    return types;
  }
  assert.deepStrictEqual(await typesSeen(ours), await typesSeen(builtin));
});
