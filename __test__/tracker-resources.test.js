'use strict';
// Resource tracker: the map's contents for known resource graphs (timers,
// intervals, promises, fs, sockets on 127.0.0.1, HTTP requests), queries,
// leak report, request-id recycling, options and stop().

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');
const { once, EventEmitter } = require('node:events');
const { spawnSync } = require('node:child_process');
const { setImmediate: tick, setTimeout: sleep } = require('node:timers/promises');

const { trackResources } = require('../lib/tracker');
const { executionAsyncId, AsyncResource, AsyncLocalStorage } = require('../lib/async_hooks');
const { runWithRequestContext, getRequestContext, httpContext, withoutPropagation } = require('../lib/request');

function inRequest(fn) {
  return runWithRequestContext({}, () => fn(getRequestContext().requestId));
}

// Polls until `predicate()` holds (some of Node's own resources, like the
// HTTP Date header cache timer, live for up to a second).
async function until(predicate, turns = 2000) {
  for (let i = 0; i < turns; i++) {
    if (predicate()) return;
    await (i < 100 ? tick() : sleep(5));
  }
  assert.fail('condition never became true');
}

function track(t, options) {
  const tracker = trackResources(options);
  t.after(() => tracker.stop());
  return tracker;
}

test('a timer created in a request is mapped to it, with trigger, callbacks and destroy', async (t) => {
  const tracker = track(t);
  let timerId;
  let requestId;
  let fired;
  const done = new Promise((resolve) => { fired = resolve; });
  const creator = executionAsyncId();
  inRequest((id) => {
    requestId = id;
    const timer = setTimeout(() => fired(), 1);
    timerId = timer[Symbol.toPrimitive]();
  });

  const active = tracker.activeResources({ requestId });
  const entry = active.find((r) => r.asyncId === timerId);
  assert.ok(entry, 'timer is in the map while pending');
  assert.strictEqual(entry.type, 'Timeout');
  assert.strictEqual(entry.requestId, requestId);
  assert.strictEqual(entry.triggerAsyncId, creator);
  assert.strictEqual(entry.callbacks, 0);
  assert.ok(active.every((r) => r.requestId === requestId));

  await done;
  await until(() => !tracker.activeResources({ type: 'Timeout' }).some((r) => r.asyncId === timerId));
  const summary = tracker.requestSummary(requestId);
  assert.strictEqual(summary.requestId, requestId);
  assert.ok(summary.created >= 1);
  assert.strictEqual(summary.alive, 0);
  assert.ok(summary.callbacks >= 1, 'the timer callback was counted');
  assert.ok(summary.callbackMs >= 0);
  assert.strictEqual(summary.ended, false);
});

test('type and request filters select exactly the matching live resources', (t) => {
  const tracker = track(t);
  const timers = [];
  let a;
  let b;
  inRequest((id) => {
    a = id;
    timers.push(setTimeout(() => {}, 10_000), setImmediate(() => {}));
  });
  inRequest((id) => {
    b = id;
    timers.push(setTimeout(() => {}, 10_000));
  });
  t.after(() => { clearTimeout(timers[0]); clearImmediate(timers[1]); clearTimeout(timers[2]); });

  const ofA = tracker.activeResources({ requestId: a });
  assert.deepStrictEqual(ofA.map((r) => r.type).sort(), ['Immediate', 'Timeout']);
  const timeoutsOfB = tracker.activeResources({ requestId: b, type: 'Timeout' });
  assert.strictEqual(timeoutsOfB.length, 1);
  assert.strictEqual(timeoutsOfB[0].asyncId, timers[2][Symbol.toPrimitive]());
  assert.deepStrictEqual(tracker.activeResources({ requestId: 'no-such-request' }), []);
  assert.deepStrictEqual(tracker.activeResources({ type: 'NoSuchType' }), []);
  const allTimeouts = tracker.activeResources({ type: 'Timeout' }).map((r) => r.asyncId);
  assert.ok(allTimeouts.includes(timers[0][Symbol.toPrimitive]()));
  assert.ok(allTimeouts.includes(timers[2][Symbol.toPrimitive]()));
});

test('an interval created in a request that ended is reported as a leak, with its creation stack', async (t) => {
  const tracker = track(t, { captureStacks: true });
  let requestId;
  let interval;
  inRequest((id) => {
    requestId = id;
    interval = setInterval(function leakyInterval() {}, 60_000);
  });
  t.after(() => clearInterval(interval));
  const intervalId = interval[Symbol.toPrimitive]();

  // Not a leak while the request is running, unless asked for.
  assert.ok(!tracker.leakReport().some((l) => l.asyncId === intervalId));
  assert.ok(tracker.leakReport({ includeOpen: true }).some((l) => l.asyncId === intervalId));

  assert.strictEqual(tracker.endRequest(requestId), true);
  const leaks = tracker.leakReport({ olderThanMs: 0 });
  const leak = leaks.find((l) => l.asyncId === intervalId);
  assert.ok(leak, 'interval listed');
  assert.strictEqual(leak.type, 'Timeout');
  assert.strictEqual(leak.requestId, requestId);
  assert.ok(leak.ageMs >= 0);
  assert.ok(leak.endedMsAgo >= 0);
  assert.match(leak.stack, /tracker-resources\.test\.js/);
  assert.doesNotMatch(leak.stack, /lib[\\/]tracker[\\/]index\.js/, 'hook frames are trimmed');
  // An age threshold larger than the process' life excludes it.
  assert.ok(!tracker.leakReport({ olderThanMs: 1e12 }).some((l) => l.asyncId === intervalId));
  assert.strictEqual(tracker.requestSummary(requestId).ended, true);

  clearInterval(interval);
  await until(() => !tracker.leakReport().some((l) => l.asyncId === intervalId));
});

test('stacks are only captured when asked for', (t) => {
  const tracker = track(t);
  let timer;
  inRequest(() => { timer = setTimeout(() => {}, 10_000); });
  t.after(() => clearTimeout(timer));
  const [entry] = tracker.activeResources({ type: 'Timeout' }).filter((r) => r.asyncId === timer[Symbol.toPrimitive]());
  assert.ok(entry);
  assert.strictEqual(entry.stack, undefined);
});

test('promises are tracked only with options.promises', async (t) => {
  const off = track(t);
  const on = track(t, { promises: true });
  let requestId;
  let release;
  const pending = inRequest((id) => {
    requestId = id;
    return new Promise((resolve) => { release = resolve; });
  });
  assert.deepStrictEqual(off.activeResources({ type: 'PROMISE' }), []);
  const promises = on.activeResources({ requestId, type: 'PROMISE' });
  assert.ok(promises.length >= 1);
  assert.ok(promises.every((p) => p.resolvedAt === undefined || typeof p.resolvedAt === 'number'));
  release();
  await pending;
  const resolved = on.activeResources({ requestId, type: 'PROMISE' }).filter((p) => p.resolvedAt !== undefined);
  assert.ok(resolved.length >= 1, 'promiseResolve recorded');
});

test('fs and socket resources on 127.0.0.1 are recorded with their request', async (t) => {
  const tracker = track(t);
  const server = net.createServer((socket) => socket.end('hi'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());

  let requestId;
  const result = await inRequest(async (id) => {
    requestId = id;
    const data = await fs.promises.readFile(__filename);
    const socket = net.connect(server.address().port, '127.0.0.1');
    const connected = once(socket, 'connect');
    const mine = tracker.activeResources({ requestId, type: 'TCPWRAP' });
    await connected;
    const chunks = [];
    for await (const chunk of socket) chunks.push(chunk);
    return { size: data.length, reply: Buffer.concat(chunks).toString(), mine };
  });
  assert.strictEqual(result.reply, 'hi');
  assert.strictEqual(result.mine.length, 1, 'client socket belongs to the request');
  const types = new Set();
  // Everything the request created, alive or not, shows in its summary and
  // in the callbacks of the timeline; live ones are queryable by type.
  const summary = tracker.requestSummary(requestId);
  assert.ok(summary.created >= 3, `created ${summary.created}`);
  const file = require('node:path').join(require('node:os').tmpdir(), `tracker-fs-${process.pid}.json`);
  t.after(() => fs.rmSync(file, { force: true }));
  await tracker.writeTimeline(file);
  for (const e of JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents) {
    if (e.args?.requestId === requestId) types.add(e.name);
  }
  assert.ok([...types].some((x) => x.startsWith('FSREQ') || x === 'FILEHANDLE'), [...types].join(','));
  assert.ok(types.has('TCPWRAP'), [...types].join(','));
  assert.ok(types.has('TCPCONNECTWRAP'), [...types].join(','));
});

test('HTTP: the request ends when its response finishes; what it left behind is a leak', async (t) => {
  const tracker = track(t);
  const intervals = [];
  const server = http.createServer(httpContext((req, res) => {
    intervals.push(setInterval(() => {}, 60_000)); // pins the request
    setTimeout(() => res.end('ok'), 1); // finishes normally
  }));
  t.after(() => { for (const i of intervals) clearInterval(i); server.close(); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const res = await new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.address().port, agent: false }, resolve).on('error', reject);
  });
  res.resume();
  await once(res, 'end');
  const requestId = res.headers['x-request-id'];
  assert.ok(requestId, 'request kit sent its id');
  await until(() => tracker.requestSummary(requestId)?.ended === true);

  // The response's own socket work (ticks, shutdown) winds down; what stays
  // is exactly the interval.
  const leaksOf = () => tracker.leakReport().filter((l) => l.requestId === requestId);
  await until(() => leaksOf().length <= 1);
  assert.deepStrictEqual(leaksOf().map((l) => [l.asyncId, l.type]), [[intervals[0][Symbol.toPrimitive](), 'Timeout']]);
});

test('ancestry walks the trigger chain of the current execution, through destroyed ancestors', async (t) => {
  const tracker = track(t);
  const chain = await new Promise((resolve) => {
    setImmediate(function outer() {
      const immediateId = executionAsyncId();
      setTimeout(function inner() {
        resolve({ immediateId, timeoutId: executionAsyncId(), links: tracker.ancestry() });
      }, 1);
    });
  });
  assert.strictEqual(chain.links[0].asyncId, chain.timeoutId);
  assert.strictEqual(chain.links[0].type, 'Timeout');
  assert.strictEqual(chain.links[0].alive, true);
  assert.strictEqual(chain.links[0].triggerAsyncId, chain.immediateId);
  assert.strictEqual(chain.links[1].asyncId, chain.immediateId);
  assert.strictEqual(chain.links[1].type, 'Immediate');
  for (let i = 1; i < chain.links.length; i++) {
    assert.strictEqual(chain.links[i].asyncId, chain.links[i - 1].triggerAsyncId);
  }
  assert.deepStrictEqual(tracker.ancestry(987654321), []);
});

// The tracker reuses its last request lookup while no callback boundary,
// request switch or executionAsyncId change happened; every resource must
// still carry the request that getRequestContext() names at its creation.
test('each resource carries the request current at its creation, wherever it is created', async (t) => {
  const tracker = track(t);
  const marks = [];
  const mark = (label) => {
    const timer = setTimeout(() => {}, 60_000);
    marks.push({ label, timer, expected: getRequestContext()?.requestId });
  };
  t.after(() => { for (const m of marks) clearTimeout(m.timer); });

  mark('outside');
  let bound;
  let snapshot;
  const emitter = new EventEmitter();
  emitter.on('go', () => mark('listener'));
  await inRequest(async () => {
    mark('a');
    inRequest(() => {
      mark('b');
      withoutPropagation(() => mark('b without propagation'));
      mark('b after withoutPropagation');
    });
    mark('a after b');
    bound = AsyncResource.bind((depth) => {
      mark(`bound ${depth}`);
      if (depth === 0) {
        inRequest(() => {
          mark('request inside bound');
          bound(1); // the same resource entered again, nested
          mark('request inside bound, after nested');
        });
        mark('bound 0 after request');
      }
    });
    snapshot = AsyncLocalStorage.snapshot();
    queueMicrotask(() => mark('microtask'));
    process.nextTick(() => mark('nextTick'));
    await new Promise((resolve) => setImmediate(() => { mark('immediate'); resolve(); }));
    mark('a after await');
    await Promise.resolve().then(() => mark('then'));
  });
  mark('outside again');
  inRequest(() => {
    mark('c');
    bound(0);
    mark('c after bound');
    snapshot(() => mark('snapshot'));
    mark('c after snapshot');
    emitter.emit('go');
  });
  mark('outside at last');

  const byId = new Map(tracker.activeResources({ type: 'Timeout' }).map((r) => [r.asyncId, r.requestId]));
  const seen = marks.map((m) => ({ label: m.label, requestId: byId.get(m.timer[Symbol.toPrimitive]()) }));
  assert.deepStrictEqual(seen, marks.map((m) => ({ label: m.label, requestId: m.expected })));
  // Not vacuous: the marks span several requests and none.
  assert.ok(new Set(marks.map((m) => m.expected)).size >= 5);
  assert.ok(marks.some((m) => m.expected === undefined));
});

test('a resource created in an unhandledRejection handler carries the request current there', () => {
  // In a child: the test runner reports unhandled rejections itself.
  const script = `
    const { trackResources } = require(${JSON.stringify(require.resolve('../lib/tracker'))});
    const { runWithRequestContext, getRequestContext } = require(${JSON.stringify(require.resolve('../lib/request'))});
    const tracker = trackResources();
    const marks = [];
    const mark = (label) => marks.push({ label, timer: setTimeout(() => {}, 60_000), expected: getRequestContext()?.requestId });
    process.on('unhandledRejection', () => {
      mark('handler');
      runWithRequestContext({}, () => mark('request in handler'));
      mark('handler after request');
      setImmediate(() => {
        const byId = new Map(tracker.activeResources({ type: 'Timeout' }).map((r) => [r.asyncId, r.requestId]));
        const out = marks.map((m) => ({ label: m.label, expected: m.expected ?? null,
          recorded: byId.get(m.timer[Symbol.toPrimitive]()) ?? null }));
        console.log(JSON.stringify(out));
        process.exit(0);
      });
    });
    runWithRequestContext({}, () => { mark('request'); Promise.reject(new Error('unhandled')); });
    mark('outside');
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.strictEqual(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepStrictEqual(out.map((m) => m.label), ['request', 'outside', 'handler', 'request in handler', 'handler after request']);
  for (const m of out) assert.strictEqual(m.recorded, m.expected, m.label);
  assert.notStrictEqual(out[0].expected, null);
  assert.notStrictEqual(out[3].expected, out[0].expected);
});

test('options.contextId names the context instead of the request kit', (t) => {
  let current = 'tenant-a';
  const tracker = track(t, { contextId: () => current });
  const a = setTimeout(() => {}, 10_000);
  current = 'tenant-b';
  const b = setTimeout(() => {}, 10_000);
  current = undefined;
  const c = setTimeout(() => {}, 10_000);
  t.after(() => { clearTimeout(a); clearTimeout(b); clearTimeout(c); });
  const ids = (requestId) => tracker.activeResources({ requestId, type: 'Timeout' }).map((r) => r.asyncId);
  assert.deepStrictEqual(ids('tenant-a'), [a[Symbol.toPrimitive]()]);
  assert.deepStrictEqual(ids('tenant-b'), [b[Symbol.toPrimitive]()]);
  const entry = tracker.activeResources({ type: 'Timeout' }).find((r) => r.asyncId === c[Symbol.toPrimitive]());
  assert.strictEqual(entry.requestId, undefined);
});

test('a throwing contextId callback, or an id that cannot be a string, never breaks the hooks', (t) => {
  const cases = [
    [() => { throw new Error('nope'); }, undefined],
    [() => ({ toString() { throw new Error('no'); } }), undefined],
    [() => Symbol('id'), 'Symbol(id)'], // String() names it
  ];
  for (const [contextId, expected] of cases) {
    const tracker = track(t, { contextId });
    const timer = setTimeout(() => {}, 10_000);
    t.after(() => clearTimeout(timer));
    const entry = tracker.activeResources({ type: 'Timeout' }).find((r) => r.asyncId === timer[Symbol.toPrimitive]());
    assert.strictEqual(entry.requestId, expected);
    tracker.stop();
  }
  const numeric = track(t, { contextId: () => 42 });
  const timer = setTimeout(() => {}, 10_000);
  t.after(() => clearTimeout(timer));
  assert.strictEqual(numeric.activeResources({ requestId: '42', type: 'Timeout' }).length, 1);
});

test('request ids are recycled once their requests are done, beyond maxRequests', async (t) => {
  const tracker = track(t, { maxRequests: 3 });
  for (let i = 0; i < 50; i++) {
    await inRequest(() => new Promise((resolve) => setTimeout(resolve, 0)));
  }
  await until(() => tracker.stats().requestIds <= 4);
  const s = tracker.stats();
  assert.ok(s.contexts <= 4, `contexts ${s.contexts}`);
});

test('stop() ends recording but keeps the data queryable', (t) => {
  const tracker = trackResources();
  const before = setTimeout(() => {}, 10_000);
  tracker.stop();
  tracker.stop(); // idempotent
  const after = setTimeout(() => {}, 10_000);
  t.after(() => { clearTimeout(before); clearTimeout(after); });
  const ids = tracker.activeResources({ type: 'Timeout' }).map((r) => r.asyncId);
  assert.ok(ids.includes(before[Symbol.toPrimitive]()));
  assert.ok(!ids.includes(after[Symbol.toPrimitive]()));
  assert.strictEqual(tracker.stopped, true);
});

test('bad options and arguments throw Node-style errors', (t) => {
  assert.throws(() => trackResources(5), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => trackResources({ promises: 'yes' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => trackResources({ maxEvents: -1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => trackResources({ bufferSize: 1.5 }), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => trackResources({ contextId: 'x' }), { code: 'ERR_INVALID_ARG_TYPE' });
  const tracker = track(t);
  assert.throws(() => tracker.activeResources({ requestId: 5 }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => tracker.requestSummary(), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => tracker.ancestry('1'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => tracker.leakReport({ olderThanMs: '5' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.strictEqual(tracker.requestSummary('unknown'), undefined);
  assert.strictEqual(tracker.endRequest('unknown'), false);
});

test('user AsyncResources are tracked, and a small buffer drains many times without losing records', async (t) => {
  const tracker = track(t, { bufferSize: 16 });
  const resources = [];
  let requestId;
  inRequest((id) => {
    requestId = id;
    for (let i = 0; i < 500; i++) resources.push(new AsyncResource('MyResource'));
  });
  for (const r of resources.slice(0, 200)) r.runInAsyncScope(() => {});
  const live = tracker.activeResources({ requestId, type: 'MyResource' });
  assert.strictEqual(live.length, 500);
  assert.strictEqual(live.filter((r) => r.callbacks === 1).length, 200);
  for (const r of resources) r.emitDestroy();
  await until(() => tracker.activeResources({ requestId, type: 'MyResource' }).length === 0);
  const summary = tracker.requestSummary(requestId);
  assert.strictEqual(summary.created >= 500, true);
  assert.strictEqual(summary.callbacks, 200);
  assert.ok(tracker.stats().batches > 500 * 2 / 16, 'drained in many small batches');
});

test('nested callbacks are each timed, the outer one including the inner one', (t) => {
  const tracker = track(t);
  let requestId;
  let outer;
  let inner;
  inRequest((id) => {
    requestId = id;
    outer = new AsyncResource('Outer');
    inner = new AsyncResource('Inner');
  });
  const spin = (ms) => { const t0 = performance.now(); while (performance.now() - t0 < ms); };
  outer.runInAsyncScope(() => {
    spin(2);
    inner.runInAsyncScope(() => spin(3));
    inner.runInAsyncScope(() => spin(1));
  });
  const byType = (type) => tracker.activeResources({ requestId, type })[0];
  assert.strictEqual(byType('Outer').callbacks, 1);
  assert.strictEqual(byType('Inner').callbacks, 2);
  assert.ok(byType('Inner').callbackMs >= 4, `inner ${byType('Inner').callbackMs}`);
  assert.ok(byType('Outer').callbackMs >= byType('Inner').callbackMs + 2, `outer ${byType('Outer').callbackMs}`);
  const summary = tracker.requestSummary(requestId);
  assert.strictEqual(summary.callbacks, 3);
  outer.emitDestroy();
  inner.emitDestroy();
});

test('without promise tracking, a resource created after an await is stamped inside that continuation', async (t) => {
  const tracker = track(t);
  let requestId;
  let timer;
  let before;
  let after;
  await inRequest(async (id) => {
    requestId = id;
    await null;
    before = performance.now();
    timer = setTimeout(() => {}, 10_000);
    after = performance.now();
  });
  t.after(() => clearTimeout(timer));
  const entry = tracker.activeResources({ requestId, type: 'Timeout' }).find((r) => r.asyncId === timer[Symbol.toPrimitive]());
  assert.ok(entry, 'timer tracked');
  // The continuation's start is read by its first creation: not earlier
  // than the code before it, not later than the code after it.
  assert.ok(entry.createdAt >= before - 1e-3 && entry.createdAt <= after + 1e-3, `${before} <= ${entry.createdAt} <= ${after}`);
  assert.strictEqual(tracker.activeResources({ type: 'PROMISE' }).length, 0);
});
