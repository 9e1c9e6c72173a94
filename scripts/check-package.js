#!/usr/bin/env node
'use strict';
// Proves the prebuilt-binary path the way a user gets it:
//   1. `npm pack` the main package and the linux-x64-gnu platform package
//      (the built .node copied into npm/linux-x64-gnu, as napi-rs does),
//      print every packed file with its size, and fail on any file that is
//      not needed at run time: the main package holds only what its entry
//      points (package.json main, types, exports, bin) reach through
//      relative require()/import, plus what npm always packs; the platform
//      package only the binary;
//   2. install both tarballs into a brand-new npm project outside the repo,
//      with no Rust toolchain reachable on PATH;
//   3. require('fast-async-hooks') there inside a small Express app, serve
//      concurrent requests on 127.0.0.1 and check each saw its own context.
// Needs `npm run build` first. Exits non-zero on any failure.

const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const PLATFORM_DIR = path.join(ROOT, 'npm', 'linux-x64-gnu');
const pkg = require('../package.json');
const BINARY = `${pkg.napi.binaryName}.linux-x64-gnu.node`;

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts });
}

function pack(dir, into) {
  const out = run('npm', ['pack', '--silent', '--pack-destination', into], { cwd: dir }).trim().split('\n');
  return path.join(into, out[out.length - 1]);
}

// What a release publishes: the package with every platform package of
// npm/ as an optionalDependency (napi-rs projects add these at publish time;
// they are not in the repo's package.json because they are not on the
// registry, which would break `npm install` here). Packs a staging copy.
function packMain(into) {
  const staging = path.join(into, 'staging');
  const first = pack(ROOT, into);
  fs.mkdirSync(staging);
  run('tar', ['-xzf', first, '-C', staging]);
  fs.rmSync(first);
  const dir = path.join(staging, 'package');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  manifest.optionalDependencies = {};
  for (const platform of fs.readdirSync(path.join(ROOT, 'npm')).sort()) {
    const sub = require(path.join(ROOT, 'npm', platform, 'package.json'));
    manifest.optionalDependencies[sub.name] = sub.version;
  }
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return pack(dir, into);
}

// PATH without any directory that holds cargo or rustc: the install must not
// be able to build from source.
function pathWithoutRust() {
  return process.env.PATH.split(path.delimiter)
    .filter((dir) => !['cargo', 'rustc'].some((tool) => fs.existsSync(path.join(dir, tool))))
    .join(path.delimiter);
}

// npm packs these whatever `files` says.
const NPM_ALWAYS = new Set(['package.json', 'README.md', 'LICENSE']);

// Every string target of the manifest's entry points.
function entryPoints(manifest) {
  const out = [];
  const walk = (v) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk([manifest.main, manifest.types, manifest.bin, manifest.exports]);
  return out;
}

// Relative specifiers in a file: require('./x') in JS, from './x' and
// import('./x') in declarations.
const SPECIFIERS = /(?:require\(|from\s|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

// Packed files reached from the entry points, as paths relative to `dir`.
function reachableFiles(dir, manifest) {
  const seen = new Set();
  const resolve = (from, spec) => {
    const base = path.join(path.dirname(from), spec);
    const exts = from.endsWith('.d.ts') ? ['.d.ts'] : ['.js', '.json'];
    for (const f of [base, ...exts.map((e) => base + e), ...exts.map((e) => path.join(base, `index${e}`))]) {
      if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
    }
    return null; // e.g. binding.js's optional ./<name>.<platform>.node
  };
  const queue = entryPoints(manifest).map((e) => resolve(path.join(dir, 'package.json'), e)).filter(Boolean);
  while (queue.length > 0) {
    const file = queue.pop();
    const rel = path.relative(dir, file);
    if (seen.has(rel)) continue;
    seen.add(rel);
    if (!/\.(c?js|d\.ts)$/.test(file)) continue;
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(SPECIFIERS)) {
      const target = resolve(file, spec);
      if (target !== null) queue.push(target);
    }
  }
  return seen;
}

// Extracts a tarball, prints its files with sizes, returns their paths
// (relative to the package root) and the extracted root.
function listPacked(tarball, into) {
  const dir = path.join(into, path.basename(tarball, '.tgz'));
  fs.mkdirSync(dir);
  run('tar', ['-xzf', tarball, '-C', dir]);
  const root = path.join(dir, 'package');
  const files = run('tar', ['-tzf', tarball]).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')).sort();
  console.log(`${path.basename(tarball)}: ${files.length} files, ${fs.statSync(tarball).size} bytes packed`);
  for (const f of files) console.log(`  ${String(fs.statSync(path.join(root, f)).size).padStart(8)}  ${f}`);
  return { files, root };
}

function main() {
  const built = path.join(ROOT, BINARY);
  if (!fs.existsSync(built)) throw new Error(`${BINARY} not found: run npm run build first`);
  fs.copyFileSync(built, path.join(PLATFORM_DIR, BINARY));

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-package-'));
  try {
    const tarballs = [packMain(work), pack(PLATFORM_DIR, work)];
    const mainPkg = listPacked(tarballs[0], work);
    const platformPkg = listPacked(tarballs[1], work);

    // The main tarball: what the entry points reach, and npm's own files.
    const manifest = JSON.parse(fs.readFileSync(path.join(mainPkg.root, 'package.json'), 'utf8'));
    const reached = reachableFiles(mainPkg.root, manifest);
    const unneeded = mainPkg.files.filter((f) => !reached.has(f) && !NPM_ALWAYS.has(f));
    if (unneeded.length > 0) throw new Error(`main tarball carries files nothing at run time reaches: ${unneeded.join(', ')}`);
    for (const f of ['index.js', 'index.d.ts', 'binding.js', 'register.js']) {
      if (!mainPkg.files.includes(f)) throw new Error(`main tarball lacks ${f}`);
    }
    if (manifest.optionalDependencies?.[`${pkg.name}-linux-x64-gnu`] !== pkg.version) {
      throw new Error('main tarball does not list the linux-x64-gnu package as an optionalDependency');
    }
    // The platform tarball: the binary and npm's own files, nothing else.
    if (!platformPkg.files.includes(BINARY)) throw new Error('platform tarball lacks the binary');
    const extra = platformPkg.files.filter((f) => f !== BINARY && !NPM_ALWAYS.has(f));
    if (extra.length > 0) throw new Error(`platform tarball carries more than the binary: ${extra.join(', ')}`);

    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    const env = { ...process.env, PATH: pathWithoutRust(), NODE_OPTIONS: '' };
    const which = spawnSync('sh', ['-c', 'command -v cargo || command -v rustc'], { env });
    if (which.status === 0) throw new Error('a Rust toolchain is still on PATH');

    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, 'express@5'], { cwd: app, env });
    fs.writeFileSync(path.join(app, 'server.js'), APP_SOURCE);
    const out = run(process.execPath, ['server.js'], { cwd: app, env, timeout: 60_000 });
    const report = JSON.parse(out);
    if (report.mismatches !== 0 || report.responses !== 50 || !report.loadedFrom.includes(app) || !report.nativeLoaded ||
        report.version !== pkg.version) {
      throw new Error(`installed package misbehaved: ${out}`);
    }
    console.log(`installed into a fresh app without Rust; ${report.responses} Express requests, 0 mismatches`);
    console.log(`native binary: ${report.binary}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(path.join(PLATFORM_DIR, BINARY), { force: true });
  }
}

const APP_SOURCE = `'use strict';
const http = require('node:http');
const express = require('express');
const { AsyncLocalStorage, nativeVersion } = require('fast-async-hooks');
const version = nativeVersion();
const native = require.resolve('fast-async-hooks-linux-x64-gnu');

const als = new AsyncLocalStorage();
const app = express();
app.use((req, res, next) => als.run({ id: req.get('x-id') }, next));
app.get('/', async (req, res) => {
  await new Promise((r) => setTimeout(r, Number(req.get('x-id')) % 3));
  res.send(als.getStore().id);
});
const server = app.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const bodies = await Promise.all(Array.from({ length: 50 }, (_, i) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, headers: { 'x-id': String(i) } }, (res) => {
      let b = '';
      res.on('data', (c) => { b += c; });
      res.on('end', () => resolve([String(i), b]));
    }).on('error', reject);
  })));
  server.close();
  process.stdout.write(JSON.stringify({
    responses: bodies.length,
    mismatches: bodies.filter(([want, got]) => want !== got).length,
    loadedFrom: require.resolve('fast-async-hooks'),
    binary: native,
    // napi addons are cached like modules: proves the binary was loaded.
    nativeLoaded: Object.keys(require.cache).includes(native),
    version,
  }));
});
`;

main();
