'use strict';
// Timeline export: Chrome trace event JSON written off the JS thread, the
// bounded event ring, and async context of what the native side calls back
// (onProgress through a threadsafe function) or resolves (the promise).

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { trackResources } = require('../lib/tracker');
const { AsyncLocalStorage, AsyncResource } = require('../lib/async_hooks');
const { runWithRequestContext, getRequestContext } = require('../lib/request');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-timeline-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = () => path.join(dir, `trace-${n++}.json`);

// Trace Event Format checks (what Perfetto / chrome://tracing need).
function validate(doc) {
  assert.ok(Array.isArray(doc.traceEvents), 'traceEvents array');
  const open = new Map();
  for (const e of doc.traceEvents) {
    assert.strictEqual(typeof e.name, 'string', JSON.stringify(e));
    assert.strictEqual(typeof e.ph, 'string');
    assert.ok(['X', 'b', 'e', 'i', 'M'].includes(e.ph), `ph ${e.ph}`);
    assert.strictEqual(e.pid, process.pid);
    assert.strictEqual(typeof e.tid, 'number');
    if (e.ph === 'M') continue;
    assert.strictEqual(typeof e.ts, 'number');
    assert.ok(Number.isFinite(e.ts));
    if (e.ph === 'X') {
      assert.strictEqual(typeof e.dur, 'number');
      assert.ok(e.dur >= 0);
      assert.strictEqual(typeof e.args.asyncId, 'number');
    }
    if (e.ph === 'b' || e.ph === 'e') {
      assert.strictEqual(typeof e.id, 'string');
      assert.strictEqual(e.cat, 'resource');
      const key = `${e.cat}/${e.name}/${e.id}`;
      if (e.ph === 'b') {
        assert.ok(!open.has(key), `double begin ${key}`);
        open.set(key, e.ts);
      } else {
        assert.ok(open.has(key), `end without begin ${key}`);
        assert.ok(e.ts >= open.get(key), 'ends after it begins');
        open.delete(key);
      }
    }
    if (e.ph === 'i') assert.ok(['t', 'p', 'g'].includes(e.s));
  }
  assert.strictEqual(open.size, 0, 'every begin has an end');
}

test('writeTimeline writes valid Chrome trace JSON with callbacks, lifetimes and requests', async (t) => {
  const tracker = trackResources({ promises: true });
  t.after(() => tracker.stop());
  let requestId;
  let timerId;
  let pending;
  await runWithRequestContext({}, async () => {
    requestId = getRequestContext().requestId;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 1);
      timerId = timer[Symbol.toPrimitive]();
    });
    pending = setTimeout(() => {}, 60_000); // alive at export
  });
  t.after(() => clearTimeout(pending));
  tracker.endRequest(requestId);
  // Node emits a timer's destroy shortly after its callback.
  for (let i = 0; i < 200 && tracker.activeResources({ type: 'Timeout' }).some((r) => r.asyncId === timerId); i++) {
    await sleep(5);
  }

  const file = tmp();
  const result = await tracker.writeTimeline(file);
  const text = fs.readFileSync(file, 'utf8');
  assert.strictEqual(result.path, file);
  assert.strictEqual(result.bytes, Buffer.byteLength(text));
  const doc = JSON.parse(text);
  validate(doc);
  const events = doc.traceEvents;

  const callback = events.find((e) => e.ph === 'X' && e.args.asyncId === timerId);
  assert.ok(callback, 'timer callback as a complete event');
  assert.strictEqual(callback.name, 'Timeout');
  assert.strictEqual(callback.args.requestId, requestId);
  const begin = events.find((e) => e.ph === 'b' && e.id === String(timerId));
  const end = events.find((e) => e.ph === 'e' && e.id === String(timerId));
  assert.ok(begin && end, 'timer lifetime as an async begin/end pair');
  assert.ok(begin.ts <= callback.ts && callback.ts + callback.dur <= end.ts + 1e-3, 'callback inside lifetime');
  assert.strictEqual(end.args.alive, undefined);

  const alive = events.find((e) => e.ph === 'e' && e.id === String(pending[Symbol.toPrimitive]()));
  assert.strictEqual(alive.args.alive, true, 'live resources close at export time, marked alive');
  assert.ok(events.some((e) => e.ph === 'i' && e.cat === 'promise'), 'promise resolutions as instants');
  assert.ok(events.some((e) => e.ph === 'i' && e.cat === 'request' && e.args.requestId === requestId), 'request end');
  assert.strictEqual(result.events, events.filter((e) => e.ph !== 'M' && e.ph !== 'e').length);
});

test('the event ring is bounded by maxEvents and counts what it dropped', async (t) => {
  const tracker = trackResources({ maxEvents: 50 });
  t.after(() => tracker.stop());
  for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
  const s = tracker.stats();
  assert.strictEqual(s.maxEvents, 50);
  assert.strictEqual(s.events, 50);
  assert.ok(s.droppedEvents >= 200 * 2 - 50, `dropped ${s.droppedEvents}`);
  const file = tmp();
  await tracker.writeTimeline(file);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  validate(doc);
  assert.strictEqual(doc.otherData.droppedEvents, s.droppedEvents);
  const lifetimes = doc.traceEvents.filter((e) => e.ph === 'b').length;
  const others = doc.traceEvents.filter((e) => e.ph === 'X' || e.ph === 'i').length;
  assert.ok(others + lifetimes <= 50 + tracker.stats().live, 'only the ring and live resources are exported');
});

test('maxEvents: 0 keeps no timeline but still tracks resources', async (t) => {
  const tracker = trackResources({ maxEvents: 0 });
  t.after(() => tracker.stop());
  await new Promise((resolve) => setTimeout(resolve, 1));
  const s = tracker.stats();
  assert.strictEqual(s.events, 0);
  assert.ok(s.droppedEvents > 0);
  assert.ok(s.records > 0);
});

test('writeTimeline rejects with a Node-style error for a bad path', async (t) => {
  const tracker = trackResources();
  t.after(() => tracker.stop());
  await assert.rejects(tracker.writeTimeline(path.join(dir, 'missing', 'x.json')), (err) => {
    assert.strictEqual(err.code, 'ENOENT');
    assert.match(err.message, /missing/);
    return true;
  });
  await assert.rejects(tracker.writeTimeline(''), { code: 'ERR_INVALID_ARG_TYPE' });
  await assert.rejects(tracker.writeTimeline(tmp(), { onProgress: 1 }), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('onProgress runs in the async context of the writeTimeline call; the promise resolves in it', async (t) => {
  const tracker = trackResources({ maxEvents: 20_000 });
  t.after(() => tracker.stop());
  // Enough events for several 256 KiB chunks.
  for (let i = 0; i < 30; i++) {
    await Promise.all(Array.from({ length: 100 }, () => new Promise((resolve) => setImmediate(resolve))));
  }
  const als = new AsyncLocalStorage();
  const other = new AsyncLocalStorage();
  const seen = [];
  const store = { call: 'writeTimeline' };
  let result;
  let afterAwait;
  let afterAwaitOther;
  await other.run('outer', () => als.run(store, async () => {
    result = await tracker.writeTimeline(tmp(), {
      onProgress(bytes) { seen.push({ bytes, store: als.getStore(), other: other.getStore() }); },
    });
    afterAwait = als.getStore();
    afterAwaitOther = other.getStore();
  }));
  // Progress calls are queued to the JS thread; let the last ones run.
  await sleep(1);
  for (let i = 0; i < 100 && seen.at(-1)?.bytes !== result.bytes; i++) await sleep(5);

  assert.ok(seen.length >= 2, `progress calls: ${seen.length}`);
  assert.strictEqual(seen.at(-1).bytes, result.bytes);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].bytes > seen[i - 1].bytes);
  for (const s of seen) {
    assert.strictEqual(s.store, store);
    assert.strictEqual(s.other, 'outer');
  }
  assert.strictEqual(afterAwait, store);
  assert.strictEqual(afterAwaitOther, 'outer');
  assert.strictEqual(als.getStore(), undefined);
});

test('concurrent writeTimeline calls from different contexts keep theirs apart', async (t) => {
  const tracker = trackResources();
  t.after(() => tracker.stop());
  await new Promise((resolve) => setTimeout(resolve, 1));
  const als = new AsyncLocalStorage();
  const runs = await Promise.all(['a', 'b', 'c'].map((name) => als.run(name, async () => {
    const progress = [];
    await tracker.writeTimeline(tmp(), { onProgress: () => progress.push(als.getStore()) });
    return { name, after: als.getStore(), progress };
  })));
  await sleep(1);
  for (const run of runs) {
    assert.strictEqual(run.after, run.name);
    assert.ok(run.progress.every((s) => s === run.name), JSON.stringify(run));
  }
});

test('onProgress bound by AsyncResource.bind semantics: a throwing callback surfaces as an uncaught exception', async (t) => {
  // Not swallowed by native code: Node reports it like any callback error.
  const tracker = trackResources();
  t.after(() => tracker.stop());
  const errors = [];
  const listener = (err) => errors.push(err);
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', listener);
  t.after(() => {
    process.removeListener('uncaughtException', listener);
    for (const l of saved) process.on('uncaughtException', l);
  });
  await tracker.writeTimeline(tmp(), { onProgress() { throw new Error('from progress'); } });
  for (let i = 0; i < 100 && errors.length === 0; i++) await sleep(5);
  assert.strictEqual(errors.length, 1);
  assert.strictEqual(errors[0].message, 'from progress');
  assert.strictEqual(typeof AsyncResource.bind, 'function');
});

test('a tracker in a worker thread writes its own timeline, on the worker thread id', async () => {
  const { Worker } = require('node:worker_threads');
  const file = tmp();
  const worker = new Worker(`
    const { parentPort, workerData, threadId } = require('node:worker_threads');
    const { trackResources } = require(workerData.lib);
    const tracker = trackResources();
    setTimeout(() => setImmediate(async () => {
      const result = await tracker.writeTimeline(workerData.file);
      tracker.stop();
      parentPort.postMessage({ threadId, events: result.events });
    }), 1);
  `, { eval: true, workerData: { lib: require.resolve('../lib/tracker'), file } });
  // Listen for 'exit' from the start: it can follow 'message' in the same tick.
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const message = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    exited.then((code) => reject(new Error(`worker exited with ${code} before reporting`)));
  });
  assert.strictEqual(await exited, 0);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  validate(doc);
  assert.ok(message.threadId >= 1);
  assert.ok(doc.traceEvents.every((e) => e.tid === 1 + message.threadId));
  assert.ok(doc.traceEvents.some((e) => e.ph === 'X' && e.name === 'Timeout'));
});
