#!/usr/bin/env node
'use strict';
// The package as a user on a platform without a prebuilt binary gets it:
// a copy of the checkout with no .node file anywhere (and the dev
// node_modules, which holds no fast-async-hooks-<platform> package), so
// binding.js really finds nothing. Nothing in the package is told to
// pretend.
//
//   require('./scripts/without-binary').copyWithoutBinary()  -> dir of the copy
//   node scripts/without-binary.js [file-filter...]
//     runs the conformance and request-kit suites in such a copy, on Node 24
//     (AsyncContextFrame by default: the engine's frame access must fall
//     back to the portable path), or on NODE_BIN / NODE_FLAGS if set.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const pkg = require('../package.json');
// Not needed to run the package or its tests, or would bring a binary.
const SKIP = new Set(['.git', 'node_modules', 'target', 'benchmark']);

/** A fresh temporary copy of the checkout without any native binary; the caller removes it. */
function copyWithoutBinary() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-no-binary-'));
  fs.cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(ROOT, src);
      return !SKIP.has(rel.split(path.sep)[0]) && !src.endsWith('.node');
    },
  });
  const modules = fs.realpathSync(path.join(ROOT, 'node_modules'));
  const platformPackages = fs.readdirSync(modules).filter((name) => name.startsWith(`${pkg.name}-`));
  if (platformPackages.length > 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`node_modules holds ${platformPackages.join(', ')}: the copy would still find a binary`);
  }
  fs.symlinkSync(modules, path.join(dir, 'node_modules'), 'junction'); // junction: no privilege needed on Windows
  return dir;
}

// The suites that must pass without the binary: the drop-in and the request kit.
const SUITES = ['conformance', 'side-by-side', 'register', 'request-', 'ids', 'trace-context', 'no-binary'];

function main() {
  const filters = process.argv.length > 2 ? process.argv.slice(2) : SUITES;
  const env = { ...process.env };
  delete env.NAPI_RS_NATIVE_LIBRARY_PATH;
  if (!env.NODE_BIN) env.NODE_BIN = require('./node-majors').resolveMajors()[24];
  const dir = copyWithoutBinary();
  try {
    console.log(`without a native binary: ${dir}, ${env.NODE_BIN} ${env.NODE_FLAGS || ''}`);
    const r = spawnSync(process.execPath, [path.join(dir, 'scripts', 'run-tests.js'), ...filters], { stdio: 'inherit', env });
    process.exitCode = r.status ?? 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();

module.exports = { copyWithoutBinary };
