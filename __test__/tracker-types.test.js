'use strict';
// The tracker's TypeScript declarations, reached through the package entry
// (index.d.ts -> lib/tracker/index.d.ts): typed usage compiles, misuse fails.

const { test } = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const tsPkg = require.resolve('typescript/package.json', { paths: [ROOT] });
const TSC = path.join(path.dirname(tsPkg), require(tsPkg).bin.tsc);

test('tracker usage type-checks against the package declarations', () => {
  const r = spawnSync(process.execPath, [TSC, '--noEmit', '-p', path.join(__dirname, 'fixtures', 'tracker', 'types')], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  });
  assert.strictEqual(r.status, 0, `tsc reported errors:\n${r.stdout}${r.stderr}`);
});
