'use strict';
// Node-style argument errors: the one place the package builds them.
//
// Each helper returns (does not throw) an error with the same class, `code`
// and message Node's own validators produce for the same arguments; the
// message builders are ports of lib/internal/errors.js in Node's source
// (ERR_INVALID_ARG_TYPE with determineSpecificType, ERR_INVALID_ARG_VALUE,
// ERR_OUT_OF_RANGE). Like Node's errors they are instances of TypeError /
// RangeError whose `name` stays 'TypeError' / 'RangeError', with an own
// enumerable `code`, and whose toString() and stack header read
// `TypeError [ERR_INVALID_ARG_TYPE]: <message>`.
//
//   invalidArgType(name, expected, actual)
//     expected: a type name ('string', 'function', 'object', ...), a class
//     name ('RegExp', 'Buffer'), a lowercase phrase used verbatim ("one of
//     'v7' or 'v4'"), or an array of these, exactly as Node's
//     ERR_INVALID_ARG_TYPE takes them.
//   invalidArgValue(name, value, reason = 'is invalid')      (TypeError)
//   outOfRange(name, range, received)                       (RangeError)
//
// Untrusted input. Node's messages echo the offending value (up to 25
// characters of a string in ERR_INVALID_ARG_TYPE, up to 128 characters of
// its inspection in ERR_INVALID_ARG_VALUE). Where the value may have come
// off the network (trace-context data that an application may pass straight
// from request headers into the formatters of lib/request/ids.js), the
// caller wraps it in untrusted(value): the message then describes it without
// its content (`Received type string (length 31)`, `an instance of Array`),
// so header bytes never reach logs, terminals or error trackers through an
// error message. Everything else about the error stays Node's.

const { inspect } = require('node:util');

// ---------------------------------------------------------------------------
// Error objects

// Node's NodeError: a subclass of the base class whose `constructor` reads
// as the base (so `err.constructor === TypeError`), with `code` as an own
// enumerable field and a toString() naming the code.
function makeNodeErrorClass(Base) {
  return class NodeError extends Base {
    get ['constructor']() {
      return Base;
    }

    toString() {
      return `${this.name} [${this.code}]: ${this.message}`;
    }
  };
}

const NodeTypeError = makeNodeErrorClass(TypeError);
const NodeRangeError = makeNodeErrorClass(RangeError);

function makeError(Ctor, code, message, caller) {
  const err = new Ctor(message);
  err.code = code;
  // Node's stack header is `TypeError [ERR_X]: message`; V8 writes the header
  // from `name` when the stack is first read, so read it (once, on this error
  // path only) with the coded name in place, then restore the inherited name.
  // The helper's own frame is left out, as Node hides its internal frames.
  Error.captureStackTrace(err, caller);
  Object.defineProperty(err, 'name', {
    value: `${err.name} [${code}]`,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  err.stack; // eslint-disable-line no-unused-expressions
  delete err.name;
  return err;
}

// ---------------------------------------------------------------------------
// Untrusted values

class Untrusted {
  constructor(value) {
    this.value = value;
  }
}

/** Marks a value whose content must not appear in an error message. */
function untrusted(value) {
  return new Untrusted(value);
}

// What Node's messages would show, minus any string content: a string is
// described by its length; every other value the way determineSpecificType
// describes it, which never shows the contents of arrays or of objects that
// have a constructor. A null-prototype object shows only its kind (inspected
// with depth -1, as determineSpecificType does).
function describeUntrusted(value) {
  if (typeof value === 'string') return `type string (length ${value.length})`;
  return determineSpecificType(value);
}

// ---------------------------------------------------------------------------
// Ports of Node's message builders (lib/internal/errors.js)

const kTypes = [
  'string',
  'function',
  'number',
  'object',
  // Accept 'Function' and 'Object' as alternative to the lower cased version.
  'Function',
  'Object',
  'boolean',
  'bigint',
  'symbol',
];

const classRegExp = /^[A-Z][a-zA-Z0-9]*$/;

function formatList(array, type = 'and') {
  switch (array.length) {
    case 0: return '';
    case 1: return `${array[0]}`;
    case 2: return `${array[0]} ${type} ${array[1]}`;
    case 3: return `${array[0]}, ${array[1]}, ${type} ${array[2]}`;
    default:
      return `${array.slice(0, -1).join(', ')}, ${type} ${array[array.length - 1]}`;
  }
}

function addNumericalSeparator(val) {
  let res = '';
  let i = val.length;
  const start = val[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) {
    res = `_${val.slice(i - 3, i)}${res}`;
  }
  return `${val.slice(0, i)}${res}`;
}

// The `object` case follows Node 26, which reads `constructor.name` once and
// requires a non-empty string; Node 20-24 use `'name' in value.constructor`,
// which prints "an instance of " for an instance of an anonymous class and
// throws its own TypeError when `constructor` is a primitive. Every other
// value is described identically by all supported majors.
function determineSpecificType(value) {
  if (value === null) {
    return 'null';
  } else if (value === undefined) {
    return 'undefined';
  }

  const type = typeof value;

  switch (type) {
    case 'bigint':
      return `type bigint (${value}n)`;
    case 'number':
      if (value === 0) {
        return 1 / value === -Infinity ? 'type number (-0)' : 'type number (0)';
      } else if (value !== value) { // eslint-disable-line no-self-compare
        return 'type number (NaN)';
      } else if (value === Infinity) {
        return 'type number (Infinity)';
      } else if (value === -Infinity) {
        return 'type number (-Infinity)';
      }
      return `type number (${value})`;
    case 'boolean':
      return value ? 'type boolean (true)' : 'type boolean (false)';
    case 'symbol':
      return `type symbol (${String(value)})`;
    case 'function':
      return `function ${value.name}`;
    case 'object': {
      const name = value.constructor?.name;
      if (typeof name === 'string' && name !== '') {
        return `an instance of ${name}`;
      }
      return `${inspect(value, { depth: -1 })}`;
    }
    case 'string':
      value.length > 28 && (value = `${value.slice(0, 25)}...`);
      if (value.indexOf("'") === -1) {
        return `type string ('${value}')`;
      }
      return `type string (${JSON.stringify(value)})`;
    default:
      value = inspect(value, { colors: false });
      if (value.length > 28) {
        value = `${value.slice(0, 25)}...`;
      }
      return `type ${type} (${value})`;
  }
}

function invalidArgTypeMessage(name, expected, actual) {
  if (!Array.isArray(expected)) {
    expected = [expected];
  }

  let msg = 'The ';
  if (name.endsWith(' argument')) {
    // For cases like 'first argument'
    msg += `${name} `;
  } else {
    const type = name.includes('.') ? 'property' : 'argument';
    msg += `"${name}" ${type} `;
  }
  msg += 'must be ';

  const types = [];
  const instances = [];
  const other = [];

  for (const value of expected) {
    if (kTypes.includes(value)) {
      types.push(value.toLowerCase());
    } else if (classRegExp.test(value)) {
      instances.push(value);
    } else {
      other.push(value);
    }
  }

  // Special handle `object` in case other instances are allowed to outline
  // the differences between each other.
  if (instances.length > 0) {
    const pos = types.indexOf('object');
    if (pos !== -1) {
      types.splice(pos, 1);
      instances.push('Object');
    }
  }

  if (types.length > 0) {
    msg += `${types.length > 1 ? 'one of type' : 'of type'} ${formatList(types, 'or')}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }

  if (instances.length > 0) {
    msg += `an instance of ${formatList(instances, 'or')}`;
    if (other.length > 0) msg += ' or ';
  }

  if (other.length > 0) {
    if (other.length > 1) {
      msg += `one of ${formatList(other, 'or')}`;
    } else {
      if (other[0].toLowerCase() !== other[0]) msg += 'an ';
      msg += `${other[0]}`;
    }
  }

  const received = actual instanceof Untrusted ? describeUntrusted(actual.value) : determineSpecificType(actual);
  return `${msg}. Received ${received}`;
}

function invalidArgValueMessage(name, value, reason) {
  let inspected;
  if (value instanceof Untrusted) {
    inspected = describeUntrusted(value.value);
  } else {
    inspected = inspect(value);
    if (inspected.length > 128) {
      inspected = `${inspected.slice(0, 128)}...`;
    }
  }
  const type = name.includes('.') ? 'property' : 'argument';
  return `The ${type} '${name}' ${reason}. Received ${inspected}`;
}

function outOfRangeMessage(name, range, input) {
  let received;
  if (input instanceof Untrusted) {
    received = describeUntrusted(input.value);
  } else if (Number.isInteger(input) && Math.abs(input) > 2 ** 32) {
    received = addNumericalSeparator(String(input));
  } else if (typeof input === 'bigint') {
    received = String(input);
    if (input > 2n ** 32n || input < -(2n ** 32n)) {
      received = addNumericalSeparator(received);
    }
    received += 'n';
  } else {
    received = inspect(input);
  }
  return `The value of "${name}" is out of range. It must be ${range}. Received ${received}`;
}

// ---------------------------------------------------------------------------
// Public helpers

function invalidArgType(name, expected, actual) {
  return makeError(NodeTypeError, 'ERR_INVALID_ARG_TYPE', invalidArgTypeMessage(name, expected, actual), invalidArgType);
}

function invalidArgValue(name, value, reason = 'is invalid') {
  return makeError(NodeTypeError, 'ERR_INVALID_ARG_VALUE', invalidArgValueMessage(name, value, reason), invalidArgValue);
}

function outOfRange(name, range, received) {
  return makeError(NodeRangeError, 'ERR_OUT_OF_RANGE', outOfRangeMessage(name, range, received), outOfRange);
}

module.exports = {
  invalidArgType,
  invalidArgValue,
  outOfRange,
  untrusted,
  determineSpecificType,
};
