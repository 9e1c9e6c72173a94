'use strict';
// AsyncLocalStorage for Node 22 with --experimental-async-context-frame,
// where the addon could fetch V8's frame accessors (frame_access.js).
//
// That built-in's getStore() is `AsyncContextFrame.current()?.get(this)`:
// one Map lookup, nothing else. The multiplexed frame of frame_storage.js
// adds a read of its slot array for every instance but the first, which on
// this Node alone is a quarter of the whole call (callgrind, getStore() of
// the last of 10 instances: 124 instructions against the built-in's 98).
// Reads outnumber run() calls, so here every instance keys its own entry
// in the frame, exactly as the built-in does, and only the frame copy is
// ours: built with forEach, about half the cost of the built-in's copy
// through the iterator protocol (see frame_access.js). run() then copies
// a map of every live instance, as the built-in's does (1.7x fewer
// instructions than the built-in's with 10 instances, where the
// multiplexed frame had 8.7x).
//
// Each method is the built-in's, step by step
// (internal/async_local_storage/async_context_frame.js of Node 22), so
// behaviour, receivers other than instances included, is the built-in's.

const { AsyncResource } = require('node:async_hooks');
const { ObjectIs, ReflectApply } = require('./primordials');
const { currentFrame, setFrame, frameWith } = require('./frame_access');
const runThroughOverrides = require('./run_through_overrides');

class AsyncLocalStorage {
  static bind(fn) {
    return AsyncResource.bind(fn);
  }

  static snapshot() {
    return AsyncLocalStorage.bind((cb, ...args) => cb(...args));
  }

  disable() {
    currentFrame()?.disable(this);
  }

  enterWith(data) {
    setFrame(frameWith(currentFrame(), this, data));
  }

  run(data, fn, ...args) {
    // Unless a subclass overrides them, getStore() and enterWith() are
    // ours: done inline, reading the current frame once on entry.
    if (this.getStore !== ownGetStore || this.enterWith !== ownEnterWith) {
      return ReflectApply(runThroughOverrides, this, [data, fn, args]);
    }
    const frame = currentFrame();
    const prior = frame?.get(this);
    if (ObjectIs(prior, data)) {
      return ReflectApply(fn, null, args);
    }
    setFrame(frameWith(frame, this, data));
    try {
      return ReflectApply(fn, null, args);
    } finally {
      // A new frame, as the built-in's enterWith(prior) makes: putting the
      // entry frame back would let a later disable() reach the
      // continuations that captured it.
      setFrame(frameWith(currentFrame(), this, prior));
    }
  }

  exit(fn, ...args) {
    return this.run(undefined, fn, ...args);
  }

  getStore() {
    return currentFrame()?.get(this);
  }
}

const { getStore: ownGetStore, enterWith: ownEnterWith } = AsyncLocalStorage.prototype;

module.exports = AsyncLocalStorage;
