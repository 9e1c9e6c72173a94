'use strict';
// Points the package's lib/async_hooks at other exports before anything
// loads it, so the request kit (which takes its AsyncLocalStorage from
// there) runs on the side a preload chooses.

const Module = require('node:module');
const path = require('node:path');

function replaceEngineModule(exports) {
  const file = require.resolve(path.join(__dirname, '..', '..', '..', 'lib', 'async_hooks'));
  const m = new Module(file, module);
  m.filename = file;
  m.loaded = true;
  m.exports = exports;
  require.cache[file] = m;
}

module.exports = { replaceEngineModule };
