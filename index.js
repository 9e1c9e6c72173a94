'use strict';
// Public entry of fast-async-hooks. Hand-written: the napi-rs generated
// loader lives in binding.js and is only reached through lib/native.js.

const asyncHooks = require('./lib/async_hooks');

module.exports = {
  ...asyncHooks,
  ...require('./lib/request'),
};
