'use strict';
// Type-level drop-in check: `tsc --noEmit -p __test__/types` compiles code
// written the way users import node:async_hooks, against the package's own
// index.d.ts (resolved through package.json "exports" self-reference).

const { test } = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
// The installed typescript's own bin script (package "exports" hides it).
const tsPkg = require.resolve('typescript/package.json', { paths: [ROOT] });
const TSC = path.join(path.dirname(tsPkg), require(tsPkg).bin.tsc);
const hasDts = fs.existsSync(path.join(ROOT, 'index.d.ts'));

test('typed usage compiles against index.d.ts', { skip: hasDts ? false : 'index.d.ts does not exist yet' }, () => {
  const r = spawnSync(process.execPath, [TSC, '--noEmit', '-p', path.join(__dirname, 'types')], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' },
  });
  assert.strictEqual(r.status, 0, `tsc reported errors:\n${r.stdout}${r.stderr}`);
});
