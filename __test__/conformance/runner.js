'use strict';
// Parent side: runs one scenario file in child processes (one per IMPL) on
// the same node binary and flags as the current process, and compares the
// records scenario by scenario.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const CHILD = path.join(__dirname, 'child.js');

// Whether ours runs in portable mode (README, "Known limit"): an
// AsyncContextFrame Node where the engine has no direct frame access, asked
// for (FAST_ASYNC_HOOKS_PORTABLE=1) or for want of a native binary. Decided
// here, as the engine decides it, so the children (built-in included) see
// the same feature set.
function portableMode() {
  const { usesAsyncContextFrame } = require('../../lib/async_hooks/mechanism');
  return usesAsyncContextFrame && require('../../lib/async_hooks/frame_access') === null;
}
const PORTABLE = portableMode() ? '1' : '';
const SCENARIO_DIR = path.join(__dirname, 'scenarios');

// Flags of this process minus the test runner's own (and the inspector's):
// --no-async-context-frame and friends must reach the children.
function childExecArgv() {
  const drop = /^--(test|experimental-test|watch|inspect)/;
  const flags = process.execArgv.filter((f) => !drop.test(f));
  if (!flags.includes('--expose-gc')) flags.push('--expose-gc');
  return flags;
}

// CONFORMANCE_FILES=03,13-capture limits a run to matching scenario files.
function scenarioFiles() {
  const only = (process.env.CONFORMANCE_FILES || '').split(',').filter(Boolean);
  return fs.readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.js')).sort()
    .filter((f) => only.length === 0 || only.some((x) => f.includes(x)))
    .map((f) => path.join(SCENARIO_DIR, f));
}

function runChild(file, impl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-conf-'));
  const out = path.join(dir, 'out.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...childExecArgv(), CHILD, file, out], {
      env: { ...process.env, IMPL: impl, NODE_OPTIONS: '', CONFORMANCE_PORTABLE: PORTABLE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => { stderr += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      let data;
      try {
        data = JSON.parse(fs.readFileSync(out, 'utf8'));
      } catch {
        reject(new Error(`IMPL=${impl} ${path.basename(file)} exited ${code ?? signal} without results\n${stderr}`));
        return;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      resolve({ ...data, stderr });
    });
  });
}

// Only these fields of a scenario result are compared (stack is for humans).
function comparable(result) {
  if (!result) return { missing: true };
  const { entries, error, timeout } = result;
  return { entries, error, timeout };
}

function show(v) {
  return util.inspect(v, { depth: 6, breakLength: Infinity });
}

// Human-readable list of differences between two scenario results.
function describeDiff(a, b, labels = ['builtin', 'ours']) {
  const lines = [];
  const ea = a?.entries ?? [];
  const eb = b?.entries ?? [];
  for (const key of ['error', 'timeout']) {
    if (show(a?.[key]) !== show(b?.[key])) {
      lines.push(`  ${key}: ${labels[0]}=${show(a?.[key])} ${labels[1]}=${show(b?.[key])}`);
    }
  }
  const n = Math.max(ea.length, eb.length);
  let shown = 0;
  for (let i = 0; i < n && shown < 25; i++) {
    if (show(ea[i]) === show(eb[i])) continue;
    shown++;
    lines.push(`  [${i}] ${labels[0]}: ${show(ea[i])}`);
    lines.push(`  [${i}] ${labels[1]}: ${show(eb[i])}`);
  }
  if (ea.length !== eb.length) lines.push(`  entry count: ${labels[0]}=${ea.length} ${labels[1]}=${eb.length}`);
  if (b?.stack) lines.push(`  ${labels[1]} threw:\n${b.stack}`);
  return lines.join('\n');
}

// Runs file under both IMPLs concurrently (the 2 children share the CPU
// with nothing else of ours) and pairs results by scenario name.
// Built-in records are deterministic (CONFORMANCE_IMPLS=builtin,builtin
// proves it), so one built-in run per file serves every comparison.
const builtinRuns = new Map();
function runCached(file, impl) {
  if (impl !== 'builtin') return runChild(file, impl);
  if (!builtinRuns.has(file)) builtinRuns.set(file, runChild(file, impl));
  return builtinRuns.get(file);
}

async function compareFile(file, impls = ['builtin', 'ours']) {
  const same = impls[0] === impls[1];
  const [a, b] = await Promise.all(impls.map((impl, i) => (same || i > 0 ? runChild : runCached)(file, impl)));
  const names = [...new Set([...a.results.map((r) => r.name), ...b.results.map((r) => r.name)])];
  return names.map((name) => {
    const ra = a.results.find((r) => r.name === name);
    const rb = b.results.find((r) => r.name === name);
    return {
      name,
      labels: impls,
      left: comparable(ra),
      right: comparable(rb),
      observations: Math.max(ra?.entries.length ?? 0, rb?.entries.length ?? 0),
      diff: () => describeDiff(ra, rb, impls),
    };
  });
}

module.exports = { childExecArgv, scenarioFiles, runChild, compareFile, comparable, describeDiff };

// Debug aid: node __test__/conformance/runner.js <scenario-file> [impl]
// prints one implementation's records.
if (require.main === module) {
  runChild(path.resolve(process.argv[2]), process.argv[3] || 'builtin').then((data) => {
    for (const r of data.results) console.log(r.name, show({ ...r, stack: undefined }));
    if (data.stderr) console.error(data.stderr);
  });
}
