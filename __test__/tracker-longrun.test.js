'use strict';
// Long run: hundreds of thousands of short-lived resources across many
// requests. The Rust map must return to (about) empty once they are
// destroyed, request ids must be recycled, and the ring must stay bounded.

const { test } = require('node:test');
const assert = require('node:assert');
const { setImmediate: tick, setTimeout: sleep } = require('node:timers/promises');

const { trackResources } = require('../lib/tracker');
const { AsyncResource } = require('../lib/async_hooks');
const { runWithRequestContext } = require('../lib/request');

const REQUESTS = 400;
const PER_REQUEST = 600; // AsyncResources; plus timers/immediates per request

test('map size returns to ~0 after hundreds of thousands of short-lived resources', async (t) => {
  const tracker = trackResources({ maxEvents: 10_000, maxRequests: 50, promises: true });
  t.after(() => tracker.stop());
  const baseline = tracker.stats();

  let peakLive = 0;
  let peakBytes = 0;
  for (let r = 0; r < REQUESTS; r++) {
    await runWithRequestContext({}, async () => {
      const resources = [];
      for (let i = 0; i < PER_REQUEST; i++) {
        const res = new AsyncResource('ShortLived');
        res.runInAsyncScope(() => {});
        resources.push(res);
      }
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 0));
      for (const res of resources) res.emitDestroy();
    });
    if (r % 50 === 0) {
      const s = tracker.stats();
      peakLive = Math.max(peakLive, s.live);
      peakBytes = Math.max(peakBytes, s.liveBytes);
    }
  }
  // Destroys are emitted asynchronously; promises are destroyed by GC.
  let s;
  for (let i = 0; i < 400; i++) {
    if (global.gc) global.gc();
    await tick();
    s = tracker.stats();
    if (s.live - baseline.live < 50) break;
    await sleep(5);
  }
  t.diagnostic(`records ${s.records}, peak live ${peakLive} (${peakBytes} B), final live ${s.live} (${s.liveBytes} B), ` +
    `ring ${s.events} dropped ${s.droppedEvents}, request ids ${s.requestIds}, contexts ${s.contexts}`);
  const created = s.records;
  assert.ok(created > REQUESTS * PER_REQUEST * 3, `records ${created}`);
  assert.ok(peakLive > 500, `the map did grow during the run (peak ${peakLive})`);
  assert.ok(s.live - baseline.live < 50, `live entries back to ~0: ${s.live} (baseline ${baseline.live})`);
  assert.ok(s.liveBytes < Math.max(peakBytes, 1), `memory given back: ${s.liveBytes} < peak ${peakBytes}`);
  assert.ok(s.liveBytes < 2 * 1024 * 1024, `live bytes ${s.liveBytes}`);
  assert.strictEqual(s.events, 10_000, 'ring full and bounded');
  assert.ok(s.droppedEvents > 0);
  assert.ok(s.requestIds <= 60, `request ids recycled: ${s.requestIds}`);
  assert.ok(s.contexts <= 60, `contexts freed: ${s.contexts}`);
});
