'use strict';
// Node-style argument errors for the tracker's options (same class and
// `code` as Node's own validators).

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') return 'an instance of ' + (value.constructor?.name || 'Object');
  if (typeof value === 'string') return `type string ('${value.length > 28 ? value.slice(0, 25) + '...' : value}')`;
  return `type ${typeof value} (${String(value)})`;
}

function invalidArgType(name, expected, actual) {
  const err = new TypeError(`The "${name}" argument must be ${expected}. Received ${describe(actual)}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

function outOfRange(name, range, actual) {
  const err = new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${String(actual)}`);
  err.code = 'ERR_OUT_OF_RANGE';
  return err;
}

module.exports = { invalidArgType, outOfRange };
