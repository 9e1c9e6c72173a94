'use strict';
// Differential conformance suite (issue 3): every scenario in
// __test__/conformance/scenarios runs once against node:async_hooks and once
// against fast-async-hooks, in child processes on this very node binary and
// flags; the two records must be deepStrictEqual.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { scenarioFiles, compareFile } = require('./conformance/runner');

const SELFTEST = path.join(__dirname, 'conformance', 'fixtures', 'selftest-scenarios.js');

// Each pair is compared on every scenario file: the package entry, and
// node:async_hooks after `-r fast-async-hooks/register`.
// CONFORMANCE_IMPLS=builtin,builtin checks the suite's own determinism.
const PAIRS = process.env.CONFORMANCE_IMPLS ?
  [process.env.CONFORMANCE_IMPLS.split(',')] :
  [['builtin', 'ours']].concat(fs.existsSync(path.join(__dirname, '..', 'register.js')) ? [['builtin', 'register']] : []);

function assertSame(pair) {
  if (util.isDeepStrictEqual(pair.right, pair.left)) return;
  // A fresh error so the reporter prints our per-entry diff, not a
  // truncated generic one (the message is baked into err.stack).
  throw new assert.AssertionError({
    message: `${pair.labels[0]} and ${pair.labels[1]} differ in "${pair.name}":\n${pair.diff()}`,
    actual: pair.right,
    expected: pair.left,
    operator: 'deepStrictEqual',
  });
}

let total = 0;
for (const impls of PAIRS) for (const file of scenarioFiles()) {
  const tag = impls[1] === 'ours' ? '' : ` (${impls.join(' vs ')})`;
  test(`conformance${tag}: ${path.basename(file, '.js')}`, async (t) => {
    const pairs = await compareFile(file, impls);
    assert.ok(pairs.length > 0, 'scenario file registered no scenarios');
    let observations = 0;
    for (const pair of pairs) {
      observations += pair.observations;
      await t.test(pair.name, () => assertSame(pair));
    }
    total += observations;
    t.diagnostic(`${pairs.length} scenarios, ${observations} observations (running total ${total})`);
  });
}

test('self-test: the harness reports a broken implementation', async (t) => {
  // builtin vs builtin: equal records, so the harness is deterministic.
  const same = await compareFile(SELFTEST, ['builtin', 'builtin']);
  for (const pair of same) assert.deepStrictEqual(pair.right, pair.left, pair.diff());

  // builtin vs a fake whose getStore returns a wrong value: every scenario
  // that reads a numeric store must be reported, with a readable diff.
  const broken = await compareFile(SELFTEST, ['builtin', 'fixture:broken-getstore']);
  assert.ok(broken.length >= 2);
  for (const pair of broken) {
    assert.throws(() => assertSame(pair), (err) => {
      assert.match(err.message, new RegExp(`differ in "${pair.name}"`));
      assert.match(err.message, /fixture:broken-getstore: /);
      assert.match(err.message, /builtin and fixture:broken-getstore differ/);
      return true;
    });
  }
  t.diagnostic(`broken fixture caught in ${broken.length} scenarios`);
});
