'use strict';
// `node -r benchmark/stacks/lib/preload-builtin.js`: the "built-in" side of
// a stack. Every AsyncLocalStorage in the process is node:async_hooks' own,
// including the request kit's: the kit normally takes ours from
// lib/async_hooks, so this points that module at the built-in before
// anything loads it. The app code is the same file on every side; only the
// preload differs (ours: -r register.js; floor: -r preload-floor.js).

const { replaceEngineModule } = require('./engine-module');

replaceEngineModule(require('node:async_hooks'));
