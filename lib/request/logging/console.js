'use strict';
// Opt-in console patch: inside a request, console.log/info/warn/error/debug
// output starts with `[trace_id request_id]` (or a custom prefix).
// Outside a request the original method runs untouched.

const { storage } = require('../context');
const { invalidArgType } = require('../../errors');

const METHODS = ['log', 'info', 'warn', 'error', 'debug'];

function defaultFormat(context) {
  return `[${context.traceId} ${context.requestId}]`;
}

/**
 * patchConsole({ format(context) -> string, console = globalThis.console })
 * Returns unpatch(); calling it more than once is harmless, and it leaves
 * alone any method someone else replaced after us.
 */
function patchConsole(options = {}) {
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
  const format = options.format ?? defaultFormat;
  if (typeof format !== 'function') throw invalidArgType('options.format', 'function', format);
  const target = options.console ?? globalThis.console;
  if (target === null || typeof target !== 'object') throw invalidArgType('options.console', 'object', target);

  const installed = [];
  for (const name of METHODS) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    const patched = function consoleWithRequestIds() {
      const context = storage.getStore();
      if (context === undefined) return Reflect.apply(original, this, arguments);
      const args = Array.prototype.slice.call(arguments);
      const prefix = String(format(context));
      if (typeof args[0] === 'string') {
        // The first argument may be a format string: keep ours literal.
        args[0] = (args.length > 1 ? prefix.replaceAll('%', '%%') : prefix) + ' ' + args[0];
      } else {
        args.unshift(args.length > 0 ? prefix.replaceAll('%', '%%') : prefix);
      }
      return Reflect.apply(original, this, args);
    };
    target[name] = patched;
    installed.push([name, original, patched]);
  }

  let active = true;
  return function unpatch() {
    if (!active) return;
    active = false;
    for (const [name, original, patched] of installed) {
      if (target[name] === patched) target[name] = original;
    }
  };
}

module.exports = { patchConsole };
