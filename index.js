'use strict';
// Public entry of fast-async-hooks. Hand-written: the napi-rs generated
// loader lives in binding.js and is only reached through lib/native.js,
// which is loaded on first use (the drop-in itself is pure JavaScript).

const asyncHooks = require('./lib/async_hooks');
const requestKit = require('./lib/request');

/** Version of the loaded native addon; throws if the prebuilt binary is missing. */
function nativeVersion() {
  return require('./lib/native').nativeVersion();
}

module.exports = {
  ...asyncHooks,
  ...requestKit,
  nativeVersion,
};
