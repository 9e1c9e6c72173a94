'use strict';
// Child process entry: node child.js <scenario-file> <out.json>
// Runs every scenario of one file in order against process.env.IMPL and
// writes { features, results: [{ name, entries, error?, timeout? }] }.

const fs = require('node:fs');
const path = require('node:path');
const { Recorder } = require('./recorder');

const [file, out] = process.argv.slice(2);
// Required at top level so scenario files can observe top-level state
// (executionAsyncId() === 1 and the like) while they load.
const harness = require('./harness');
require(path.resolve(file));

let current = null;
let stray = [];
// Errors that escape a scenario are part of its record, not a crash. They
// are appended, sorted, at the end of the record: when exactly they fire
// relative to the scenario's own observations is up to the event loop.
process.on('uncaughtException', (err) => {
  if (current) stray.push(['__uncaughtException', Recorder.error(err)]);
});
process.on('unhandledRejection', (err) => {
  if (current) stray.push(['__unhandledRejection', Recorder.error(err)]);
});

async function runOne({ name, fn, timeout }) {
  const r = new Recorder();
  current = r;
  stray = [];
  const result = { name };
  let timer;
  const timedOut = new Promise((resolve) => {
    // Ref'd on purpose: a scenario whose promise never settles (and holds
    // no handle) must show up as a timeout, not as an early process exit.
    timer = setTimeout(resolve, timeout, 'timeout');
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => fn(r)), timedOut]);
    if (outcome === 'timeout') result.timeout = true;
  } catch (e) {
    result.error = Recorder.error(e);
    result.stack = e?.stack;
  } finally {
    clearTimeout(timer);
  }
  // Let stray callbacks of this scenario land in its own record.
  await new Promise((resolve) => setImmediate(resolve));
  current = null;
  const key = (e) => JSON.stringify(e);
  result.entries = r.entries.concat(stray.sort((a, b) => key(a).localeCompare(key(b))));
  return result;
}

(async () => {
  const results = [];
  for (const s of harness.scenarios) results.push(await runOne(s));
  fs.writeFileSync(out, JSON.stringify({ features: harness.features, results }));
  // Scenarios may leave handles (servers are closed, but be safe).
  process.exit(0);
})();
