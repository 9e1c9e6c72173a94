'use strict';
// The package on a platform without a prebuilt binary, for real: a copy of
// the checkout with no .node file (scripts/without-binary.js). The drop-in
// and the request kit work; what needs the binary throws
// ERR_FAST_ASYNC_HOOKS_NO_BINARY naming what was looked for; the
// AsyncContextFrame engine's direct frame access falls back silently.
// (CI also runs the conformance and request-kit suites in such a copy.)

const { test, after } = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { copyWithoutBinary } = require('../scripts/without-binary');

const dir = copyWithoutBinary();
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const flags = process.execArgv.filter((a) => !a.startsWith('--test') && a !== '--expose-gc');

function child(source, env = {}) {
  const r = spawnSync(process.execPath, [...flags, '-e', source], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', FAST_ASYNC_HOOKS_PORTABLE: '', NAPI_RS_NATIVE_LIBRARY_PATH: '', ...env },
  });
  assert.strictEqual(r.status, 0, r.stderr);
  return { result: JSON.parse(r.stdout), stderr: r.stderr };
}

// The platform package this machine needs, from the packages a release
// publishes (npm/*/package.json: os, cpu, libc), not from the loader.
function expectedPackage() {
  const libc = process.platform !== 'linux' ? null
    : fs.readFileSync('/usr/bin/ldd', 'utf8').includes('musl') ? 'musl' : 'glibc';
  const npmDir = path.join(__dirname, '..', 'npm');
  const matches = fs.readdirSync(npmDir).map((d) => require(path.join(npmDir, d, 'package.json'))).filter((p) =>
    p.os.includes(process.platform) && p.cpu.includes(process.arch) && (libc === null || p.libc.includes(libc)));
  assert.strictEqual(matches.length, 1, 'exactly one platform package fits this machine');
  return { libc, name: matches[0].name };
}

test('without a binary the drop-in, register and the request kit work', () => {
  const { result, stderr } = child(`
    require('./register');
    const fah = require('./');
    const { AsyncLocalStorage } = require('node:async_hooks');
    const swapped = AsyncLocalStorage === fah.AsyncLocalStorage;
    const als = new fah.AsyncLocalStorage();
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    als.run('outer', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const inner = await als.run('inner', async () => { await null; return als.getStore(); });
      const request = await fah.runWithRequestContext({ headers: { 'x-request-id': 'req-1', traceparent: parent } }, async () => {
        await null;
        const c = fah.getRequestContext();
        return { requestId: c.requestId, traceId: c.traceId, parentSpanId: c.parentSpanId };
      });
      console.log(JSON.stringify({ swapped, outer: als.getStore(), inner, request }));
    });
  `);
  assert.deepStrictEqual(result, {
    swapped: true,
    outer: 'outer',
    inner: 'inner',
    request: { requestId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7' },
  });
  assert.strictEqual(stderr, '');
});

test('what needs the binary throws ERR_FAST_ASYNC_HOOKS_NO_BINARY naming platform, arch, libc and package', () => {
  const { result } = child(`
    const fah = require('./');
    const attempt = (fn) => {
      try { fn(); return 'no error'; } catch (err) {
        return { isError: err instanceof Error, code: err.code, message: err.message, platform: err.platform,
          arch: err.arch, libc: err.libc, packageName: err.packageName, hasCause: err.cause instanceof Error };
      }
    };
    console.log(JSON.stringify([
      attempt(() => fah.trackResources()),
      attempt(() => fah.nativeVersion()),
      attempt(() => require('./lib/tracker/trace')),
    ]));
  `);
  const { libc, name } = expectedPackage();
  for (const err of result) {
    assert.strictEqual(err.isError, true);
    assert.strictEqual(err.code, 'ERR_FAST_ASYNC_HOOKS_NO_BINARY');
    assert.deepStrictEqual([err.platform, err.arch, err.libc, err.packageName], [process.platform, process.arch, libc, name]);
    assert.ok(err.hasCause, 'the loader\'s own error is kept as err.cause');
    const where = `${process.platform} ${process.arch}${libc ? ` (${libc})` : ''}`;
    assert.ok(err.message.includes(`no native binary for ${where}`), err.message);
    assert.ok(err.message.includes(`the package ${name} is not installed`), err.message);
    assert.match(err.message, /AsyncLocalStorage .*request kit work/);
    assert.match(err.message, /trackResources\(\).*nativeVersion\(\) need it/);
    assert.doesNotMatch(err.message, /npm has a bug/);
  }
});

test('a platform package that is installed but does not load is reported with the reason', () => {
  // A package of the right name whose binary is not a loadable library, the
  // way a binary for another libc version fails.
  const { name } = expectedPackage();
  const modules = fs.mkdtempSync(path.join(dir, 'broken-'));
  const broken = path.join(modules, name);
  fs.mkdirSync(broken);
  fs.writeFileSync(path.join(broken, 'package.json'), JSON.stringify({ name, version: '0.0.0', main: 'addon.node' }));
  fs.writeFileSync(path.join(broken, 'addon.node'), 'not a shared library');
  const { result } = child(`
    try { require('./').nativeVersion(); } catch (err) { console.log(JSON.stringify({ code: err.code, message: err.message })); }
  `, { NODE_PATH: modules });
  assert.strictEqual(result.code, 'ERR_FAST_ASYNC_HOOKS_NO_BINARY');
  assert.ok(result.message.includes(`the package ${name} is installed but its binary did not load (`), result.message);
  assert.doesNotMatch(result.message, /unknown reason/);
});

test('direct frame access falls back to the portable path silently', () => {
  const { result, stderr } = child(`
    const warnings = [];
    process.on('warning', (w) => warnings.push(w.name));
    const { AsyncLocalStorage } = require('./');
    const als = new AsyncLocalStorage();
    const store = als.run('s', () => als.getStore());
    setImmediate(() => console.log(JSON.stringify({
      access: require('./lib/async_hooks/frame_access'), store, warnings,
    })));
  `);
  assert.deepStrictEqual(result, { access: null, store: 's', warnings: [] });
  assert.strictEqual(stderr, '');
});
