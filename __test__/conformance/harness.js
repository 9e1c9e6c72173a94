'use strict';
// What scenario files see inside a conformance child process:
//   h        - the implementation under test (node:async_hooks or ours)
//   features - what the BUILT-IN supports on this node/flags; both runs use
//              the same set, so a feature ours lacks shows up as a diff
//   scenario - registers one named scenario (async (r) => { r.log(...) })

const builtin = require('node:async_hooks');
const { loadImpl } = require('./impl');

function detectFeatures() {
  const ALS = builtin.AsyncLocalStorage;
  const proto = ALS.prototype;
  let validatesOptions = false;
  try { new ALS(null); } catch { validatesOptions = true; }
  let trackPromises = false;
  try { builtin.createHook({ trackPromises: 1 }); } catch { trackPromises = true; }
  // A probe that enables nothing: Node 24+ promise-hook instances enable
  // in the constructor, and even enabling and disabling at once leaves
  // promise hooks on until a microtask, which would give promises created
  // while scenario files load async ids (and hide an implementation that
  // does the same).
  class Probe extends ALS { _enable() {} }
  const defaultValue = new Probe({ defaultValue: 1 }).getStore() === 1;
  return {
    withScope: 'withScope' in proto,
    name: 'name' in proto,
    defaultValue,
    validatesOptions,
    trackPromises,
    dispose: typeof Symbol.dispose === 'symbol',
    // Informational: which mechanism the built-in uses in this process.
    mechanism: '_enable' in proto ? 'async_hooks' : 'async_context_frame',
    major: Number(process.versions.node.split('.')[0]),
    // Ours restricted to Node's public API (see README, "Portable mode"),
    // as runner.js found it.
    portable: process.env.CONFORMANCE_PORTABLE === '1',
  };
}

// Detected before loading the implementation: IMPL=register replaces
// node:async_hooks' AsyncLocalStorage.
const features = detectFeatures();
const h = loadImpl();
const scenarios = [];

// opts.requires: feature names that must all be truthy to run the scenario;
// opts.unless: feature names that must all be falsy.
function scenario(name, fn, opts = {}) {
  const requires = [].concat(opts.requires ?? []);
  const unless = [].concat(opts.unless ?? []);
  if (requires.some((f) => !features[f]) || unless.some((f) => features[f])) return;
  if (scenarios.some((s) => s.name === name)) throw new Error(`duplicate scenario ${name}`);
  scenarios.push({ name, fn, timeout: opts.timeout ?? 10_000 });
}

// Small async helpers shared by scenarios.
const tick = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { h, builtin, features, scenario, scenarios, tick, sleep };
