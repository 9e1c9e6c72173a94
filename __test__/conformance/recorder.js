'use strict';
// Turns what a scenario observes into a JSON-able, implementation-neutral
// record. Async ids and object identities are replaced by their first-seen
// order within the scenario, so two implementations that create different
// numbers of internal resources still produce equal records as long as the
// user-visible relations are the same.
//
// That normalization hides how many ids were taken, which is observable
// too (an implementation that switches a hook on gives promises ids the
// built-in never gives). So a scenario can also record async ids relative
// to a base resource it creates (rel(), asyncIds(), hookLog()): equal
// records then mean the same ids were taken between base and observation.

const MAX_DEPTH = 3;

class Recorder {
  constructor() {
    this.entries = [];
    this.ids = new Map();
    this.objects = new Map();
  }

  // Normalized async id: 0 and 1 keep their meaning (no context / main),
  // -1 is "unset", anything else becomes #k in first-seen order.
  id(n) {
    if (typeof n !== 'number' || n <= 1) return this.ser(n);
    let k = this.ids.get(n);
    if (k === undefined) {
      k = `#${this.ids.size}`;
      this.ids.set(n, k);
    }
    return k;
  }

  // Creates the base resource rel() counts from. Taking its id allocates
  // one id and, with no hook enabled, does nothing else.
  setBase(h) {
    this.baseId = new h.AsyncResource('CONFORMANCE_BASE', { requireManualDestroy: true }).asyncId();
    return this;
  }

  // Async id relative to the base: 'b+3' is the third id after it; 0
  // (none) and 1 (main) keep their meaning.
  rel(n) {
    if (typeof n !== 'number' || n <= 1 || this.baseId === undefined) return this.ser(n);
    const d = n - this.baseId;
    return d < 0 ? `b${d}` : `b+${d}`;
  }

  // executionAsyncId() and triggerAsyncId() here, relative to the base.
  asyncIds(label, h) {
    this.raw(label, [this.rel(h.executionAsyncId()), this.rel(h.triggerAsyncId())]);
  }

  // A user hook that logs init (type, id, trigger), before, after and
  // promiseResolve in order, ids relative to the base, until stop()
  // records the log. Destroy is left out: when it runs is up to the
  // event loop and GC.
  hookLog(h, label = 'hook events') {
    const events = [];
    const hook = h.createHook({
      init: (id, type, trigger) => { events.push(['init', type, this.rel(id), this.rel(trigger)]); },
      before: (id) => { events.push(['before', this.rel(id)]); },
      after: (id) => { events.push(['after', this.rel(id)]); },
      promiseResolve: (id) => { events.push(['promiseResolve', this.rel(id)]); },
    });
    return {
      enable() { hook.enable(); return this; },
      stop: () => {
        hook.disable();
        this.raw(label, events.splice(0));
      },
    };
  }

  // Entries recorded before the scenario ran (at a scenario file's top
  // level, right after the implementation loaded), and their base.
  include(other) {
    this.baseId = other.baseId;
    for (const entry of other.entries) this.entries.push(entry);
  }

  // Identity label of an object, in first-seen order.
  ref(obj) {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return this.ser(obj);
    let k = this.objects.get(obj);
    if (k === undefined) {
      k = `obj${this.objects.size}`;
      this.objects.set(obj, k);
    }
    return k;
  }

  ser(v, depth = 0) {
    switch (typeof v) {
      case 'undefined': return { $: 'undefined' };
      case 'number':
        if (Number.isNaN(v)) return { $: 'NaN' };
        if (Object.is(v, -0)) return { $: '-0' };
        if (!Number.isFinite(v)) return { $: String(v) };
        return v;
      case 'bigint': return { $: `${v}n` };
      case 'symbol': return { $: `Symbol(${v.description ?? ''})` };
      case 'function': return { $: 'function', name: v.name, length: v.length, ref: this.ref(v) };
      case 'string':
      case 'boolean':
        return v;
      default: break;
    }
    if (v === null) return null;
    if (v instanceof Error) return Recorder.error(v);
    if (depth >= MAX_DEPTH) return { $: 'object', ref: this.ref(v) };
    if (Array.isArray(v)) return v.map((x) => this.ser(x, depth + 1));
    const proto = Object.getPrototypeOf(v);
    const out = { $ref: this.ref(v) };
    if (proto !== Object.prototype && proto !== null) out.$class = proto?.constructor?.name ?? '?';
    if (proto === Object.prototype || proto === null) {
      // Sorted: insertion order often just reflects which callback ran first.
      for (const key of Object.keys(v).sort()) out[key] = this.ser(v[key], depth + 1);
    }
    return out;
  }

  static error(e) {
    if (e === null || typeof e !== 'object') return { threw: true, value: String(e) };
    return {
      threw: true,
      class: e.constructor?.name,
      name: e.name,
      code: e.code,
      message: e.message,
    };
  }

  // Record one observation: label plus normalized value.
  log(label, value) {
    this.entries.push([label, this.ser(value)]);
  }

  // Record a value already normalized by the scenario (e.g. via id()).
  raw(label, value) {
    this.entries.push([label, value]);
  }

  // Run fn and record either its (normalized) result or the error it threw.
  attempt(label, fn) {
    try {
      const result = fn();
      this.entries.push([label, { returned: this.ser(result) }]);
      return result;
    } catch (e) {
      this.entries.push([label, Recorder.error(e)]);
      return undefined;
    }
  }

  async attemptAsync(label, fn) {
    try {
      const result = await fn();
      this.entries.push([label, { returned: this.ser(result) }]);
      return result;
    } catch (e) {
      this.entries.push([label, Recorder.error(e)]);
      return undefined;
    }
  }
}

module.exports = { Recorder };
