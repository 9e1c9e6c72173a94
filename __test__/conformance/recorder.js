'use strict';
// Turns what a scenario observes into a JSON-able, implementation-neutral
// record. Async ids and object identities are replaced by their first-seen
// order within the scenario, so two implementations that create different
// numbers of internal resources still produce equal records as long as the
// user-visible relations are the same.

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
