'use strict';
// fast-async-hooks/register swaps node:async_hooks' AsyncLocalStorage for
// the whole process. Libraries that create their own instances must then
// use ours and behave exactly as on the built-in.

const { test } = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const REGISTER = path.join(ROOT, 'register.js');

function node(args, input) {
  const r = spawnSync(process.execPath, [...process.execArgv.filter((a) => !a.startsWith('--test')), ...args], {
    cwd: ROOT, encoding: 'utf8', input, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000,
  });
  assert.strictEqual(r.status, 0, r.stderr);
  return r.stdout;
}

test('require and ESM imports of async_hooks see our class after -r register', () => {
  const out = node(['-r', REGISTER, '-e', `
    const ours = require(${JSON.stringify(ROOT)}).AsyncLocalStorage;
    const seen = [require('async_hooks').AsyncLocalStorage === ours, require('node:async_hooks').AsyncLocalStorage === ours];
    import('node:async_hooks').then((m) => {
      seen.push(m.AsyncLocalStorage === ours, m.default.AsyncLocalStorage === ours);
      process.stdout.write(JSON.stringify(seen));
    });`]);
  assert.deepStrictEqual(JSON.parse(out), [true, true, true, true]);
});

test('without register the built-in stays in place', () => {
  const out = node(['-e', `
    const ours = require(${JSON.stringify(ROOT)}).AsyncLocalStorage;
    process.stdout.write(JSON.stringify(require('async_hooks').AsyncLocalStorage === ours));`]);
  assert.strictEqual(JSON.parse(out), false);
});

test('Koa with asyncLocalStorage: true and pino behave identically under register', () => {
  const app = path.join(__dirname, 'fixtures', 'register', 'koa-pino-app.js');
  const builtin = JSON.parse(node([app]));
  const ours = JSON.parse(node(['-r', REGISTER, app]));

  assert.strictEqual(builtin.storageIsOurs, false);
  assert.strictEqual(ours.storageIsOurs, true);
  // Each response saw its own request's context.
  for (const r of ours.responses) assert.deepStrictEqual(r.body, { seen: `id-${r.i}` });
  // Every log line carries the id of the request that wrote it.
  const perRequest = ours.lines.map((l) => JSON.parse(l)).filter((l) => l.reqId !== null);
  assert.strictEqual(perRequest.length, 60 * 3);
  for (const l of perRequest) assert.strictEqual(l.path, `/r/${l.reqId.slice(3)}`);
  // And everything observable is the same as on the built-in.
  assert.deepStrictEqual(ours, { ...builtin, storageIsOurs: true });
});
