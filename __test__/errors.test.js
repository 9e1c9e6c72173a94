'use strict';
// lib/errors.js against Node's own errors: for the same bad value, a core
// API that validates with ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE /
// ERR_OUT_OF_RANGE and our helper must produce the same class, `name`,
// `code`, message, toString() and stack header.

const { test } = require('node:test');
const assert = require('node:assert');
const util = require('node:util');
const zlib = require('node:zlib');
const fs = require('node:fs');
const childProcess = require('node:child_process');

const errors = require('../lib/errors.js');

const { invalidArgType, invalidArgValue, outOfRange, untrusted } = errors;
const MAJOR = Number(process.versions.node.split('.')[0]);

function nodeError(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail('the core API did not throw');
}

// Everything observable about the error except the stack frames.
function assertSameError(ours, theirs, label) {
  assert.strictEqual(ours.message, theirs.message, label);
  assert.strictEqual(ours.code, theirs.code, label);
  assert.strictEqual(ours.name, theirs.name, label);
  assert.strictEqual(ours.constructor, theirs.constructor, label);
  assert.strictEqual(ours instanceof theirs.constructor, true, label);
  assert.strictEqual(String(ours), String(theirs), label);
  assert.strictEqual(ours.stack.split('\n')[0], theirs.stack.split('\n')[0], label);
  assert.deepStrictEqual(Object.keys(ours), Object.keys(theirs), label);
  assert.strictEqual(util.inspect(ours).split('\n')[0], util.inspect(theirs).split('\n')[0], label);
}

class Foo {}
const AnonymousClass = [class {}][0];
const anonymousFn = [function () {}][0];
const nullProto = Object.create(null);
const nullProtoWithKeys = Object.assign(Object.create(null), { secret: 'x' });

// Values every supported major describes the same way.
const VALUES = [
  ['null', null],
  ['undefined', undefined],
  ['0', 0],
  ['-0', -0],
  ['integer', 42],
  ['negative', -7],
  ['fraction', 1.5],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['big number', 2 ** 40],
  ['bigint', 10n],
  ['negative bigint', -(2n ** 70n)],
  ['true', true],
  ['false', false],
  ['empty string', ''],
  ['short string', 'x'],
  ['28-char string', 'a'.repeat(28)],
  ['29-char string', 'b'.repeat(29)],
  ['long string', 'c'.repeat(1000)],
  ['string with quote', "it's"],
  ['long string with quote', `${"'".repeat(10)}${'d'.repeat(40)}`],
  ['string with newline', 'a\nb'],
  ['string with double quote and quote', `"it's"`],
  ['symbol', Symbol('s')],
  ['symbol without description', Symbol()],
  ['named function', function named() {}],
  ['arrow function', () => {}],
  ['anonymous function', anonymousFn],
  ['class', Foo],
  ['class instance', new Foo()],
  ['plain object', { a: 1 }],
  ['null-prototype object', nullProto],
  ['null-prototype object with keys', nullProtoWithKeys],
  ['array', [1, 2, 3]],
  ['empty array', []],
  ['Map', new Map([[1, 2]])],
  ['Date', new Date(0)],
  ['RegExp', /x/g],
  ['boxed string', Object('s')],
  ['Error', new Error('boom')],
];

// Node 20-24 describe these differently from Node 26 (or throw their own
// TypeError); lib/errors.js follows Node 26.
const NODE26_VALUES = [
  ['anonymous class instance', new AnonymousClass(), '{}'],
  ['constructor is a primitive', { constructor: 5 }, '[Object]'],
  ['constructor with empty name', { constructor: { name: '' } }, '[Object]'],
];

test('invalidArgType matches ERR_INVALID_ARG_TYPE from Buffer.alloc / util.deprecate for every kind of value', () => {
  for (const [label, value] of VALUES) {
    // Buffer.alloc(size) validates a number, util.deprecate's `code` a string.
    if (typeof value !== 'number') {
      assertSameError(invalidArgType('size', 'number', value), nodeError(() => Buffer.alloc(value)), label);
    }
    if (typeof value !== 'string' && value !== undefined) {
      assertSameError(invalidArgType('code', 'string', value), nodeError(() => util.deprecate(() => {}, 'm', value)), label);
    }
  }
});

test('invalidArgType: "property" wording for dotted names, and lists of expected types', () => {
  for (const [label, value] of VALUES) {
    if (typeof value !== 'number' && value !== undefined) {
      assertSameError(invalidArgType('options.level', 'number', value), nodeError(() => zlib.createGzip({ level: value })), label);
    }
    // spawnSync treats a null cwd as absent.
    if (typeof value !== 'string' && value != null) {
      assertSameError(
        invalidArgType('options.cwd', ['string', 'Buffer', 'URL'], value),
        nodeError(() => childProcess.spawnSync('definitely-not-run', { cwd: value })),
        label,
      );
    }
  }
});

test('invalidArgType describes the Node 26 way where majors differ', () => {
  for (const [label, value, expected] of NODE26_VALUES) {
    const ours = invalidArgType('size', 'number', value);
    assert.strictEqual(ours.message, `The "size" argument must be of type number. Received ${expected}`, label);
    if (MAJOR >= 26) assertSameError(ours, nodeError(() => Buffer.alloc(value)), label);
  }
});

test('invalidArgType formats expected lists like Node', () => {
  const msg = (expected) => invalidArgType('x', expected, 1).message.replace(/\. Received .*$/, '');
  assert.strictEqual(msg('string'), 'The "x" argument must be of type string');
  assert.strictEqual(msg('Object'), 'The "x" argument must be of type object');
  assert.strictEqual(msg(['string', 'symbol']), 'The "x" argument must be one of type string or symbol');
  assert.strictEqual(msg(['boolean', 'object']), 'The "x" argument must be one of type boolean or object');
  assert.strictEqual(msg(['string', 'number', 'bigint']), 'The "x" argument must be one of type string, number, or bigint');
  assert.strictEqual(msg('RegExp'), 'The "x" argument must be an instance of RegExp');
  assert.strictEqual(msg(['object', 'RegExp']), 'The "x" argument must be an instance of RegExp or Object');
  assert.strictEqual(msg("one of 'v7' or 'v4'"), "The \"x\" argument must be one of 'v7' or 'v4'");
  assert.strictEqual(msg('a non-empty string'), 'The "x" argument must be a non-empty string');
  assert.strictEqual(msg('Iterable-like value'), 'The "x" argument must be an Iterable-like value');
  assert.strictEqual(invalidArgType('first argument', 'string', 1).message,
    'The first argument must be of type string. Received type number (1)');
});

test('invalidArgValue matches ERR_INVALID_ARG_VALUE from fs.readFileSync({ encoding })', () => {
  const values = [...VALUES, ['huge array', Array.from({ length: 200 }, (_, i) => i)]]
    .filter(([, value]) => value && !(typeof value === 'string' && Buffer.isEncoding(value)));
  for (const [label, value] of values) {
    assertSameError(
      invalidArgValue('encoding', value, 'is invalid encoding'),
      nodeError(() => fs.readFileSync('/definitely/not/there', { encoding: value })),
      label,
    );
  }
  assert.strictEqual(invalidArgValue('options.x', 5).message, "The property 'options.x' is invalid. Received 5");
  assert.strictEqual(invalidArgValue('x', 'a'.repeat(200)).message, `The argument 'x' is invalid. Received '${'a'.repeat(127)}...`);
});

test('outOfRange matches ERR_OUT_OF_RANGE from Buffer read/write methods', () => {
  const buf = Buffer.alloc(8);
  for (const value of [256, -1, 2 ** 32 + 1, -(2 ** 40), 2 ** 53, Infinity, -Infinity, 1e21]) {
    assertSameError(outOfRange('value', '>= 0 and <= 255', value), nodeError(() => buf.writeUInt8(value)), String(value));
  }
  for (const value of [1.5, -0.5, NaN]) {
    assertSameError(outOfRange('offset', 'an integer', value), nodeError(() => buf.readUInt8(value)), String(value));
  }
  for (const value of [2n ** 63n, 2n ** 70n, -(2n ** 70n)]) {
    assertSameError(
      outOfRange('value', '>= -(2n ** 63n) and < 2n ** 63n', value),
      nodeError(() => buf.writeBigInt64LE(value)),
      String(value),
    );
  }
  assertSameError(outOfRange('value', '>= 0n and < 2n ** 64n', -1n), nodeError(() => buf.writeBigUInt64LE(-1n)), '-1n');
  assert.strictEqual(outOfRange('n', '>= 0', -0).message, 'The value of "n" is out of range. It must be >= 0. Received -0');
});

test('untrusted values are described without their content', () => {
  const secret = 'Bearer abc\u001b[31m';
  const cases = [
    [invalidArgType('traceId', 'string', untrusted(['x', secret])), 'Received an instance of Array'],
    [invalidArgType('entries', 'an array', untrusted(secret)), `Received type string (length ${secret.length})`],
    [invalidArgValue('traceId', untrusted(secret), 'is bad'), `Received type string (length ${secret.length})`],
    [invalidArgValue('entries[0]', untrusted(['a', secret]), 'is bad'), 'Received an instance of Array'],
    [invalidArgValue('x', untrusted(Object.assign(Object.create(null), { secret })), 'is bad'), 'Received [Object: null prototype]'],
    [outOfRange('x', '>= 0', untrusted(-1)), 'Received type number (-1)'],
  ];
  for (const [err, tail] of cases) {
    assert.ok(err.message.endsWith(tail), err.message);
    assert.ok(!err.message.includes('Bearer') && !err.message.includes('secret'), err.message);
    assert.match(err.code, /^ERR_/);
  }
  // The same error otherwise: class, code, wording.
  const err = invalidArgValue('traceId', untrusted('x'), 'must be 32 lowercase hex characters');
  assert.strictEqual(err.message, "The argument 'traceId' must be 32 lowercase hex characters. Received type string (length 1)");
  assert.strictEqual(String(err), `TypeError [ERR_INVALID_ARG_VALUE]: ${err.message}`);
});

test('stack starts at the caller, not inside lib/errors.js', () => {
  function caller() {
    return invalidArgType('x', 'string', 1);
  }
  const frames = caller().stack.split('\n').slice(1);
  assert.match(frames[0], /at caller /);
  assert.ok(!frames.some((f) => f.includes('lib/errors.js')), frames.join('\n'));
});

test('expected types given as Node phrases are used verbatim', () => {
  // The tracker's callers pass Node phrases such as 'of type number': they
  // are used verbatim, giving Node's wording.
  assert.strictEqual(invalidArgType('options.maxEvents', 'of type number', 'x').message,
    invalidArgType('options.maxEvents', 'number', 'x').message);
});
