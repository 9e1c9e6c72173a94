'use strict';
// Node-style argument errors (same class and `code` as Node's validators),
// so a bad option fails the same way a bad argument to a core API does.

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return value.constructor?.name ? `an instance of ${value.constructor.name}` : 'an object';
  if (typeof value === 'string') return `type string (length ${value.length})`;
  return `type ${typeof value} (${String(value)})`;
}

function invalidArgType(name, expected, actual) {
  const err = new TypeError(`The "${name}" argument must be ${expected}. Received ${describe(actual)}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

function invalidArgValue(name, reason) {
  const err = new TypeError(`The argument '${name}' ${reason}.`);
  err.code = 'ERR_INVALID_ARG_VALUE';
  return err;
}

module.exports = { invalidArgType, invalidArgValue };
