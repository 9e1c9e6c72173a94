'use strict';
// Drop-in surface of node:async_hooks. Temporary: re-exports the built-in
// until the multiplexed engine lands (issue 4).
const builtin = require('node:async_hooks');
module.exports = { ...builtin };
