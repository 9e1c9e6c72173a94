'use strict';
// Loads the generated napi-rs loader (binding.js), turning a missing binary
// into ERR_FAST_ASYNC_HOOKS_NO_BINARY (lib/no_binary_error.js), and checks
// that the binary it found was built from this package version, so a stale
// prebuilt binary fails loudly at require() time instead of misbehaving later.

const { version } = require('../package.json');

let binding;
try {
  binding = require('../binding.js');
} catch (err) {
  throw require('./no_binary_error').noBinaryError(err);
}

const nativeVersion = binding.nativeVersion();
if (nativeVersion !== version) {
  const err = new Error(
    `fast-async-hooks: native binary is version ${nativeVersion} but the package is ${version}; ` +
    'reinstall the package or rebuild with `npm run build`');
  err.code = 'ERR_FAST_ASYNC_HOOKS_VERSION_MISMATCH';
  throw err;
}

module.exports = binding;
