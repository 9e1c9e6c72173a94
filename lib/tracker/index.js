'use strict';
// Resource tracker: which async resources exist, in which request they were
// created, how long their callbacks ran, which ones outlive their request.
//
// Hot path (the hook callbacks) is plain JS that appends fixed-size records
// to a preallocated Float64Array:
//   [kind, asyncId, time, triggerAsyncId, typeIndex, contextIndex]   init
//   [kind, asyncId, start, end]              a callback (before + after)
//   [kind, asyncId, time]                    destroy, promiseResolve
//   [kind, asyncId, owner]                   owned by a connection/server
// before/after are paired here (a small stack of open callbacks), so a
// callback costs one record. Type
// names and request ids are interned to small integers here; the names
// travel to Rust once, with the first batch that uses them. Rust
// (src/tracker) folds a whole buffer per napi call: when it is full and
// before every query. Nothing native runs per event.

const { performance, PerformanceObserver, constants: perfConstants } = require('node:perf_hooks');
const diagnosticsChannel = require('node:diagnostics_channel');
const path = require('node:path');
const { createHook, executionAsyncId, AsyncResource } = require('../async_hooks');
const { getRequestContext, contextSwitches } = require('../request/context');
const { invalidArgType, outOfRange } = require('../errors');
const { timerOwner, heldTimerOwner, socketOwner, OWNER_CONNECTION, OWNER_PENDING } = require('./owners');

const STRIDE = 6;
const KIND_INIT = 1;
const KIND_CALLBACK = 2; // [kind, asyncId, start, end]
const KIND_DESTROY = 4;
const KIND_RESOLVE = 5;
const KIND_CONTEXT_END = 6;
const KIND_OWNER = 7; // [kind, asyncId, owner]

// Types whose owner may be a connection or the server (owners.js), interned
// first so that init tells them apart with one integer comparison.
const WATCHED_TYPES = ['Timeout', 'TCPWRAP', 'TLSWRAP', 'PIPEWRAP'];
const WATCHED_COUNT = WATCHED_TYPES.length;
const TIMEOUT_TYPE = 0;
// Records kept free past the drain limit for owner records of sockets
// resolved during the drain; more pending sockets wait for the next one.
const OWNER_RESERVE = 64;

// Deepest callback nesting tracked; deeper callbacks are not timed, so
// unmatched befores can never grow memory.
const MAX_DEPTH = 1024;

// NaN as a module constant: the hooks read it from their context instead
// of loading the global `NaN`, a load that needs type feedback, so a rarely
// taken branch that uses it cannot deoptimize a hook the first time it runs.
const NO_TIME = NaN;

// User-defined AsyncResource types are unbounded in principle; past this
// many distinct names, new ones share one slot.
const MAX_TYPES = 4096;
const OTHER_TYPE = '(other)';

const DEFAULTS = Object.freeze({
  promises: false,
  captureStacks: false,
  bufferSize: 4096,
  maxEvents: 100_000,
  maxRequests: 1000,
  endOnResponseFinish: true,
});

// The clock. `performance.now()` milliseconds, read through
// process.hrtime(): under callgrind, one read costs about 180 instructions
// that way against 270 for performance.now() on Node 20 (300 against 455
// on Node 24). The offset between the two clocks is measured once, from
// the tightest of a few bracketing performance.now() pairs (well under a
// microsecond).
const hrtime = process.hrtime;
function hrMs() {
  const t = hrtime();
  return t[0] * 1e3 + t[1] / 1e6;
}
function clockOrigin() {
  let best = Infinity;
  let origin = 0;
  for (let i = 0; i < 8; i++) {
    const a = performance.now();
    const t = hrMs();
    const b = performance.now();
    if (b - a < best) {
      best = b - a;
      origin = t - (a + b) / 2;
    }
  }
  return origin;
}
const ORIGIN = clockOrigin();
const now = () => hrMs() - ORIGIN;
// Trace thread id: 1 for the main thread, 1 + threadId in workers.
const TRACE_TID = 1 + require('node:worker_threads').threadId;

function defaultContextId() {
  const context = getRequestContext();
  return context === undefined ? undefined : context.requestId;
}

function integerOption(options, name, min, max) {
  const value = options[name];
  if (value === undefined) return DEFAULTS[name];
  if (typeof value !== 'number') throw invalidArgType(`options.${name}`, 'of type number', value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfRange(`options.${name}`, `an integer >= ${min} and <= ${max}`, value);
  }
  return value;
}

function booleanOption(options, name) {
  const value = options[name];
  if (value === undefined) return DEFAULTS[name];
  if (typeof value !== 'boolean') throw invalidArgType(`options.${name}`, 'of type boolean', value);
  return value;
}

function normalizeOptions(options) {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
  const contextId = options.contextId === undefined ? defaultContextId : options.contextId;
  if (typeof contextId !== 'function') throw invalidArgType('options.contextId', 'of type function', contextId);
  return {
    promises: booleanOption(options, 'promises'),
    captureStacks: booleanOption(options, 'captureStacks'),
    endOnResponseFinish: booleanOption(options, 'endOnResponseFinish'),
    bufferSize: integerOption(options, 'bufferSize', 16, 1 << 20),
    maxEvents: integerOption(options, 'maxEvents', 0, 2 ** 31 - 1),
    maxRequests: integerOption(options, 'maxRequests', 0, 2 ** 31 - 1),
    contextId,
  };
}

// Creation stacks are captured inside the init hook; drop the frames of
// the hook machinery itself (ours and node:internal/async_hooks).
function cleanStack(stack) {
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n');
  let i = 1;
  while (i < lines.length && (lines[i].includes(__filename) || lines[i].includes('node:internal/async_hooks'))) i++;
  return ['Resource created', ...lines.slice(i)].join('\n');
}

function withCleanStacks(list) {
  for (const item of list) {
    if (item.stack != null) item.stack = cleanStack(item.stack);
  }
  return list;
}

function optionalString(name, value) {
  if (value !== undefined && typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
  return value;
}

function writeResult(target, result) {
  if (result.errorCode != null) {
    const err = new Error(`${result.errorCode}: ${result.errorMessage}, open '${target}'`);
    err.code = result.errorCode;
    err.path = target;
    throw err;
  }
  return { path: target, bytes: result.bytes, events: result.events };
}

/**
 * trackResources(options) -> tracker
 * Starts recording async resources (one createHook) until tracker.stop().
 */
function trackResources(options) {
  const opts = normalizeOptions(options);
  const { NativeResourceTracker } = require('../native');
  const native = new NativeResourceTracker({
    maxEvents: opts.maxEvents,
    maxContexts: opts.maxRequests,
    captureStacks: opts.captureStacks,
  });

  const buffer = new Float64Array((opts.bufferSize + OWNER_RESERVE) * STRIDE);
  const end = opts.bufferSize * STRIDE;
  let pos = 0;
  // The hooks drain at `limit`: 16 records at first, doubling with every
  // drain up to the whole buffer (see slot()).
  let limit = Math.min(end, 16 * STRIDE);

  // Interning. Types live for the tracker's lifetime (bounded by MAX_TYPES);
  // request ids are freed when Rust hands their index back.
  const typeIds = new Map();
  let newTypes = [];
  let lastType = null;
  let lastTypeId = 0;

  const contextIds = new Map();
  const contextNames = [undefined]; // index 0: no request
  const freeContexts = [];
  let newContextIndexes = [];
  let newContextNames = [];
  let lastContext = null;
  let lastContextId = 0;

  let stacks = [];
  const { promises, captureStacks } = opts;
  const userContextId = opts.contextId;
  const defaultContext = userContextId === defaultContextId;
  let stopped = false;

  // Types whose resources end when garbage-collected (promises,
  // AsyncResource without requireManualDestroy): one is a leak only once it
  // survived a full collection that began after its request ended.
  const collectedTypes = new Set();
  let lastFullGc = -Infinity;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) lastFullGc = entry.startTime;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  function typeIndex(type, resource) {
    if (type === lastType) return lastTypeId;
    let id = typeIds.get(type);
    if (id === undefined) {
      if (typeIds.size >= MAX_TYPES) return typeIndex(OTHER_TYPE);
      id = typeIds.size;
      typeIds.set(type, id);
      newTypes.push(type);
      if (type === 'PROMISE' || resource instanceof AsyncResource) collectedTypes.add(type);
    }
    lastType = type;
    lastTypeId = id;
    return id;
  }

  function internContext(name) {
    let id = contextIds.get(name);
    if (id === undefined) {
      id = freeContexts.length > 0 ? freeContexts.pop() : contextNames.length;
      contextIds.set(name, id);
      contextNames[id] = name;
      newContextIndexes.push(id);
      newContextNames.push(name);
    }
    lastContext = name;
    lastContextId = id;
    return id;
  }

  // The request of the previous init, reused while it cannot have changed:
  // no callback began or ended (`boundaries`, bumped by before and after),
  // no request context was entered or left (contextSwitches()), and the
  // executionAsyncId is the same (Node runs a few callbacks, such as
  // unhandledRejection handlers, in another resource's context without
  // calling hooks). Resources created back to back then skip the storage
  // lookup (on Node 26, callgrind: about 100 instructions per timer, 110
  // per tracked promise). Only for the request kit's context: a user's
  // contextId function may read anything.
  let boundaries = 0;
  let cachedBoundaries = 0;
  let cachedSwitches = 0;
  let cachedEid = -1; // never an executionAsyncId: nothing cached
  let cachedIndex = 0;

  function contextIndex(eid) {
    if (defaultContext) {
      const switches = contextSwitches();
      if (boundaries === cachedBoundaries && eid === cachedEid && switches === cachedSwitches) return cachedIndex;
      const index = lookUpContext();
      cachedBoundaries = boundaries;
      cachedEid = eid;
      cachedSwitches = switches;
      cachedIndex = index;
      return index;
    }
    return lookUpContext();
  }

  function lookUpContext() {
    let name;
    try {
      // defaultContextId unless the user gave one; the cache in
      // contextIndex() keeps the default's calls off most inits.
      name = userContextId();
      if (name === undefined || name === null) return 0;
      if (name === lastContext) return lastContextId;
      if (typeof name !== 'string') name = String(name);
    } catch {
      // An exception inside an async hook would end the process.
      return 0;
    }
    return internContext(name);
  }

  // Resources whose owner the next drain decides: socket handles created
  // in a request (a socket is wired to its agent synchronously after its
  // handle's init) and stream timers not recognised yet (their stream
  // stores them right after init). One not decided gets one more drain.
  let pending = []; // { id, resource, ownerOf, looked }

  function watch(ty, asyncId, resource, cx) {
    try {
      if (ty === TIMEOUT_TYPE) {
        const owner = timerOwner(resource);
        if (owner === OWNER_PENDING) pending.push({ id: asyncId, resource, ownerOf: heldTimerOwner, looked: false });
        else if (owner !== 0) record(KIND_OWNER, asyncId, owner);
      } else if (cx !== 0) {
        pending.push({ id: asyncId, resource, ownerOf: socketOwner, looked: false });
      }
    } catch {
      // An exception inside an async hook would end the process.
    }
  }

  // Appends owner records for the pending resources past `pos` (room for
  // OWNER_RESERVE records is kept beyond the drain limit; the rest wait).
  function resolvePending() {
    const entries = pending;
    pending = [];
    let room = OWNER_RESERVE;
    for (const entry of entries) {
      if (room === 0) {
        pending.push(entry);
        continue;
      }
      let owner;
      try {
        owner = entry.ownerOf(entry.resource);
      } catch {
        owner = 0;
      }
      if (owner === OWNER_CONNECTION) {
        buffer[pos] = KIND_OWNER;
        buffer[pos + 1] = entry.id;
        buffer[pos + 2] = owner;
        pos += STRIDE;
        room--;
      } else if (owner === undefined && !entry.looked) {
        entry.looked = true;
        pending.push(entry);
      }
    }
  }

  function drain() {
    if (pending.length > 0) resolvePending();
    const count = pos / STRIDE;
    pos = 0;
    if (limit < end) limit = Math.min(end, limit * 2);
    const types = newTypes;
    const indexes = newContextIndexes;
    const names = newContextNames;
    const batchStacks = stacks;
    newTypes = [];
    newContextIndexes = [];
    newContextNames = [];
    stacks = [];
    const freed = native.drain(buffer, count, types, indexes, names, batchStacks, now());
    for (let i = 0; i < freed.length; i++) {
      const id = freed[i];
      const name = contextNames[id];
      if (name === undefined) continue;
      contextIds.delete(name);
      contextNames[id] = undefined;
      freeContexts.push(id);
      if (lastContextId === id) {
        lastContext = null;
        lastContextId = 0;
      }
      if (cachedIndex === id) cachedEid = -1;
    }
  }

  // Offset of the next free record, draining first when the buffer is
  // full. Every hook takes its record offset here, so the drain call below
  // is one call site shared by all of them, and the first drains come early
  // (after 16, 32, 64... records), so that call site has type feedback
  // before V8 optimizes the hooks. Otherwise the first full buffer, reached
  // from optimized code, deoptimizes the hook that filled it ("insufficient
  // type feedback for call"), which then re-optimizes thousands of events
  // later: a second TurboFan compile of init, about 24M instructions under
  // callgrind on Node 20.
  function slot() {
    if (pos >= limit) drain();
    return pos;
  }

  // Times live in a Float64Array, not in `let` variables: a double stored
  // into a closure variable is boxed, so every store would allocate.
  //   [LAST]      time of the latest callback boundary
  //   [START]     start of callback `callbackId` (NaN: not read yet)
  const times = new Float64Array(2);
  const LAST = 0;
  const START = 1;
  times[LAST] = now();
  // The most recent callback that began. Compared with executionAsyncId(),
  // so a skipped `after` (exception) cannot leave a stale start behind.
  let callbackId = -1;

  // Untracked promises (promises: false) still get before/after/destroy
  // calls from Node. Their ids are remembered here (slot = id & SKIP_MASK)
  // so those calls return at once: no clock read, no record. A slot reused
  // by a later promise only makes an old id fall through to the normal
  // path, where Rust counts it as untracked, as before.
  const SKIP_MASK = promises ? 0 : (1 << 14) - 1;
  const skipIds = new Float64Array(SKIP_MASK + 1).fill(-1);

  function init(asyncId, type, triggerAsyncId, resource) {
    if (type === 'PROMISE' && !promises) {
      skipIds[asyncId & SKIP_MASK] = asyncId;
      return;
    }
    const eid = executionAsyncId();
    const ty = typeIndex(type, resource);
    const cx = contextIndex(eid);
    const stack = captureStacks ? new Error('resource created here').stack : undefined;
    // Created directly inside the callback we saw begin: stamped with that
    // callback's start, no clock read (a clock read costs 80+ ns on some
    // machines, more than the rest of the hook). Inside an untracked
    // promise's callback the start is read once, by the first creation.
    // Otherwise: the clock.
    let time;
    if (eid === callbackId) {
      time = times[START];
      if (time !== time) time = times[START] = times[LAST] = now();
    } else {
      time = times[LAST] = now();
    }
    const p = slot();
    buffer[p] = KIND_INIT;
    buffer[p + 1] = asyncId;
    buffer[p + 2] = time;
    buffer[p + 3] = triggerAsyncId;
    buffer[p + 4] = ty;
    buffer[p + 5] = cx;
    pos = p + STRIDE;
    if (captureStacks) stacks.push(stack);
    if (ty < WATCHED_COUNT) watch(ty, asyncId, resource, cx);
  }

  // Callback boundaries read the clock; destroy and promiseResolve reuse
  // the time of the latest boundary (`times[LAST]`): Node emits destroys in
  // a batch right after callbacks, so the error is the batch's own length,
  // and it saves a clock read (the largest single cost per event).
  function record(kind, asyncId, time) {
    const p = slot();
    buffer[p] = kind;
    buffer[p + 1] = asyncId;
    buffer[p + 2] = time;
    pos = p + STRIDE;
  }

  // Callbacks that began and have not ended: ids and start times. An
  // `after` pops up to its `before` (an exception may have skipped the
  // afters of callbacks nested in it).
  const openIds = new Float64Array(MAX_DEPTH);
  const openStarts = new Float64Array(MAX_DEPTH);
  let depth = 0;

  const callbacks = {
    init,
    before(asyncId) {
      boundaries = (boundaries + 1) | 0;
      callbackId = asyncId;
      // One store for both branches (an untracked promise's start is
      // NO_TIME: read by the first resource created in it).
      const t = skipIds[asyncId & SKIP_MASK] === asyncId ? NO_TIME : now();
      times[START] = t;
      if (t !== t) return;
      times[LAST] = t;
      if (depth < MAX_DEPTH) {
        openIds[depth] = asyncId;
        openStarts[depth] = t;
        depth++;
      }
    },
    after(asyncId) {
      boundaries = (boundaries + 1) | 0;
      callbackId = -1;
      if (skipIds[asyncId & SKIP_MASK] === asyncId) return;
      const t = now();
      times[LAST] = t;
      let d = depth - 1;
      while (d >= 0 && openIds[d] !== asyncId) d--;
      let start = NO_TIME; // no matching before: Rust counts it as untracked
      if (d >= 0) {
        start = openStarts[d];
        depth = d;
      }
      const p = slot();
      buffer[p] = KIND_CALLBACK;
      buffer[p + 1] = asyncId;
      buffer[p + 2] = start;
      buffer[p + 3] = t;
      pos = p + STRIDE;
    },
    destroy(asyncId) {
      if (skipIds[asyncId & SKIP_MASK] === asyncId) return;
      record(KIND_DESTROY, asyncId, times[LAST]);
    },
  };
  if (promises) callbacks.promiseResolve = (asyncId) => record(KIND_RESOLVE, asyncId, times[LAST]);
  const hook = createHook(callbacks);

  // Runs before/after/destroy a few times before the hook is enabled, on
  // a made-up id, as a tracked callback and (promises: false) as an
  // untracked promise, and throws their records away, so that every call
  // site in them has type feedback when V8 optimizes them. Otherwise a
  // branch the first thousands of events never took deoptimizes the hook
  // the first time it runs (e.g. the clock read in before/after when only
  // untracked promises ran so far), and the hook is compiled again later.
  function primeHooks() {
    const id = -2;
    const skipSlot = id & SKIP_MASK;
    for (let i = 0; i < 32; i++) {
      callbacks.before(id);
      callbacks.after(id);
      callbacks.destroy(id);
      if (!promises) {
        skipIds[skipSlot] = id;
        callbacks.before(id);
        callbacks.after(id);
        callbacks.destroy(id);
        skipIds[skipSlot] = -1;
      }
      pos = 0;
    }
    depth = 0;
    callbackId = -1;
    times[START] = NO_TIME;
    times[LAST] = now();
  }
  primeHooks();
  for (const type of WATCHED_TYPES) typeIndex(type);

  function endRequest(requestId) {
    if (requestId === undefined) requestId = defaultOrUser();
    optionalString('requestId', requestId);
    if (requestId === undefined || stopped) return false;
    const id = contextIds.get(requestId);
    if (id === undefined) return false;
    const t = now();
    times[LAST] = t;
    record(KIND_CONTEXT_END, id, t);
    return true;
  }

  function defaultOrUser() {
    try {
      const name = userContextId();
      return name === undefined || name === null ? undefined : String(name);
    } catch {
      return undefined;
    }
  }

  // node:http publishes this when a response finished; the request kit
  // re-enters the request's context for `res` events, so the current
  // context is that request. `req.id` is the fallback (set by the kit).
  function onResponseFinish(message) {
    let id = defaultOrUser();
    if (id === undefined && typeof message?.request?.id === 'string') id = message.request.id;
    if (id !== undefined) endRequest(id);
  }
  const finishChannel = 'http.server.response.finish';
  if (opts.endOnResponseFinish) diagnosticsChannel.subscribe(finishChannel, onResponseFinish);

  hook.enable();

  const tracker = {
    /** Stops recording; the recorded data stays queryable. */
    stop() {
      if (stopped) return;
      stopped = true;
      hook.disable();
      if (opts.endOnResponseFinish) diagnosticsChannel.unsubscribe(finishChannel, onResponseFinish);
      gcObserver.disconnect();
      drain();
      pending = [];
    },

    get stopped() { return stopped; },

    /** Marks a request as ended (default: the current one); returns false if it is unknown. */
    endRequest,

    /** Live resources, optionally only those of one request and/or type. */
    activeResources(filter = {}) {
      if (filter === null || typeof filter !== 'object') throw invalidArgType('filter', 'of type object', filter);
      const requestId = optionalString('filter.requestId', filter.requestId);
      const type = optionalString('filter.type', filter.type);
      drain();
      let cx = null;
      if (requestId !== undefined) {
        cx = contextIds.get(requestId);
        if (cx === undefined) return [];
      }
      let ty = null;
      if (type !== undefined) {
        ty = typeIds.get(type);
        if (ty === undefined) return [];
      }
      return withCleanStacks(native.activeResources(now(), cx, ty));
    },

    /** Trigger chain from `asyncId` (default: the current execution) upward. */
    ancestry(asyncId = executionAsyncId()) {
      if (typeof asyncId !== 'number') throw invalidArgType('asyncId', 'of type number', asyncId);
      drain();
      return native.ancestry(asyncId);
    },

    /** Totals for one request: resources created / still alive, callbacks, time in callbacks. */
    requestSummary(requestId) {
      if (typeof requestId !== 'string') throw invalidArgType('requestId', 'of type string', requestId);
      drain();
      const cx = contextIds.get(requestId);
      if (cx === undefined) return undefined;
      const summary = native.requestSummary(cx);
      if (summary == null) return undefined;
      if (summary.endedAt == null) summary.endedAt = undefined;
      summary.ended = summary.endedAt !== undefined;
      return summary;
    },

    /**
     * Live resources created inside requests that have ended, at least
     * `olderThanMs` old (with `includeOpen`, also those of requests still
     * running), except resolved promises and, unless `includeOwned`, those
     * a connection or the server owns. Oldest first.
     */
    leakReport(options = {}) {
      if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
      const { olderThanMs = 0, includeOpen = false, includeOwned = false } = options;
      if (typeof olderThanMs !== 'number' || Number.isNaN(olderThanMs)) {
        throw invalidArgType('options.olderThanMs', 'of type number', olderThanMs);
      }
      if (typeof includeOpen !== 'boolean') throw invalidArgType('options.includeOpen', 'of type boolean', includeOpen);
      if (typeof includeOwned !== 'boolean') throw invalidArgType('options.includeOwned', 'of type boolean', includeOwned);
      drain();
      const t = now();
      const leaks = native.leakReport(t, olderThanMs, includeOpen, includeOwned).filter((leak) => {
        if (!collectedTypes.has(leak.type)) return true;
        const since = t - (leak.endedMsAgo ?? leak.ageMs);
        return lastFullGc > since;
      });
      return withCleanStacks(leaks);
    },

    /**
     * Writes the recorded timeline as Chrome trace event JSON (Perfetto,
     * chrome://tracing). Serialization and file I/O run on a native
     * background thread. `onProgress(bytesWritten)` runs in the caller's
     * async context.
     */
    async writeTimeline(file, options = {}) {
      if (typeof file !== 'string' || file.length === 0) throw invalidArgType('path', 'a non-empty string', file);
      if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
      const { onProgress } = options;
      if (onProgress !== undefined && typeof onProgress !== 'function') {
        throw invalidArgType('options.onProgress', 'of type function', onProgress);
      }
      drain();
      const target = path.resolve(file);
      const bound = onProgress === undefined ? undefined : AsyncResource.bind(onProgress);
      return writeResult(target, await native.writeTimeline(target, now(), process.pid, TRACE_TID, bound));
    },

    /**
     * Blocking writeTimeline, for 'exit' handlers only (no event loop turn
     * is left there to await a promise). Returns the same result.
     */
    writeTimelineSync(file) {
      if (typeof file !== 'string' || file.length === 0) throw invalidArgType('path', 'a non-empty string', file);
      drain();
      const target = path.resolve(file);
      return writeResult(target, native.writeTimelineSync(target, now(), process.pid, TRACE_TID));
    },

    /** Map and ring sizes; `live` returns to ~0 once resources are destroyed. */
    stats() {
      drain();
      const s = native.stats();
      s.requestIds = contextIds.size;
      s.types = typeIds.size;
      s.bufferRecords = opts.bufferSize;
      return s;
    },
  };
  return Object.freeze(tracker);
}

module.exports = { trackResources };
