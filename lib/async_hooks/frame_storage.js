'use strict';
// AsyncLocalStorage for Nodes whose built-in runs on AsyncContextFrame
// (Node 24+ by default, Node 22 with --experimental-async-context-frame).
//
// The built-in copies the whole instance map twice per run(), so its cost
// grows with the number of live instances. Here our instances ride two
// built-in instances (the carriers), all but the first as slots of one frame
// array: V8 propagates them for free, and run() copies a map of at most two
// entries whatever the number of our instances.
//
// Each method mirrors internal/async_local_storage/async_context_frame.js
// step by step (the "map" being our frame), so observable behaviour is the
// built-in's: run() restores with enterWith(prior), exit() is run(undefined),
// disable() deletes from the current frame in place.
//
// Two carriers. The first instance of the process (frame index
// FIRST_INDEX, a slot never recycled) rides `bareCarrier` alone, its store
// carried bare (UNDEFINED_STORE standing for a present undefined, which must
// stay distinct from "no entry"), so a context of a single instance costs
// what the built-in's costs, its map and nothing more. Every other instance
// is a slot of the frame `frameCarrier` holds. Each carrier holds one kind
// of value only, so no read has to tell a frame from a store (Array.isArray
// alone cost 15 of Node 22's 92-instruction getStore).

const { AsyncResource } = require('node:async_hooks');
const { ObjectIs, ReflectApply } = require('./primordials');
const {
  FIRST_INDEX,
  UNDEFINED_STORE,
  bareStore,
  allocateSlot,
  generationAt,
  copyFrame,
  frameWith,
} = require('./frame');
const {
  BuiltinAsyncLocalStorage,
  supportsOptions,
  readOptions,
  matchBuiltinSurface,
} = require('./mechanism');
const RunScope = require('./run_scope');

const bareCarrier = new BuiltinAsyncLocalStorage();
const frameCarrier = new BuiltinAsyncLocalStorage();

// Counts our writes of frameCarrier. Only our code writes it (everything
// else that changes the current frame restores it before returning), so
// while this count is unchanged it still holds the frame last written.
let frameWrites = 0;

/** The bare carrier value standing for `store`. */
function bareOf(store) {
  return store === undefined ? UNDEFINED_STORE : store;
}

class AsyncLocalStorage {
  // Initialized by the field initializers, not the constructor: a field
  // written once stays constant to V8, which can then fold these reads in
  // getStore() and run() (callgrind, Node 24, getStore: 220 -> 198
  // instructions per call, the built-in's 179).
  #index = allocateSlot(this);
  #generation = generationAt(this.#index);
  #defaultValue = undefined;
  #name = undefined;

  // A default keeps `AsyncLocalStorage.length` at 0, as the built-in's.
  constructor(options = undefined) {
    const { defaultValue, name } = readOptions(options);
    this.#defaultValue = defaultValue;
    this.#name = name;
  }

  get name() { return this.#name || ''; }

  static bind(fn) {
    return AsyncResource.bind(fn);
  }

  static snapshot() {
    return AsyncLocalStorage.bind((cb, ...args) => cb(...args));
  }

  disable() {
    // The built-in deletes `this` from the current frame: a no-op for an
    // object that is not one of ours, so foreign receivers do not throw.
    if (!AsyncLocalStorage.#owns(this)) return;
    if (this.#index === FIRST_INDEX) {
      // The carrier's entry is this instance's alone: the built-in's own
      // in-place delete of it is exactly ours.
      bareCarrier.disable();
      return;
    }
    const frame = frameCarrier.getStore();
    if (frame !== undefined && frame[this.#index] === this.#generation) {
      // In place, like the built-in's delete on the current frame: every
      // continuation that captured this frame loses the store too.
      frame[this.#index] = 0;
      frame[this.#index + 1] = undefined;
    }
  }

  enterWith(data) {
    if (!AsyncLocalStorage.#owns(this)) {
      // The built-in would add a key for this foreign object to a new
      // frame; the stores of every real instance stay as they were, but
      // in-place deletes no longer reach the frames captured before.
      const frame = frameCarrier.getStore();
      frameWrites++;
      frameCarrier.enterWith(frame === undefined ? undefined : copyFrame(frame));
    } else if (this.#index === FIRST_INDEX) {
      bareCarrier.enterWith(bareOf(data));
    } else {
      const frame = frameCarrier.getStore();
      frameWrites++;
      frameCarrier.enterWith(frameWith(frame, this.#index, this.#generation, data));
    }
  }

  run(data, fn, ...args) {
    // Unless a subclass overrides them, getStore() and enterWith() are
    // ours: do their work inline, reading the current value once.
    const { getStore, enterWith } = this;
    if (getStore !== ownGetStore || enterWith !== ownEnterWith) {
      return runThroughOverrides(this, data, fn, args);
    }
    const index = this.#index;
    if (index === FIRST_INDEX) {
      // The built-in's run() on the bare carrier.
      const value = bareCarrier.getStore();
      const prior = value === undefined ? this.#defaultValue : bareStore(value);
      if (ObjectIs(prior, data)) {
        return ReflectApply(fn, null, args);
      }
      bareCarrier.enterWith(bareOf(data));
      try {
        return ReflectApply(fn, null, args);
      } finally {
        bareCarrier.enterWith(bareOf(prior));
      }
    }
    const generation = this.#generation;
    const frame = frameCarrier.getStore();
    const prior = frame !== undefined && frame[index] === generation ? frame[index + 1] : this.#defaultValue;
    if (ObjectIs(prior, data)) {
      return ReflectApply(fn, null, args);
    }
    const entered = frameWith(frame, index, generation, data);
    const writes = ++frameWrites;
    frameCarrier.enterWith(entered);
    try {
      return ReflectApply(fn, null, args);
    } finally {
      // The current frame, read only if one of ours changed it meanwhile.
      const current = writes === frameWrites ? entered : frameCarrier.getStore();
      frameWrites++;
      frameCarrier.enterWith(frameWith(current, index, generation, prior));
    }
  }

  exit(fn, ...args) {
    return this.run(undefined, fn, ...args);
  }

  getStore() {
    // One read of each field: each private read is a map check in
    // optimized code, and this is the hottest method of the class.
    let index;
    try {
      index = this.#index;
    } catch {
      // A foreign receiver: fail as the built-in does, on #defaultValue.
      return this.#defaultValue;
    }
    if (index === FIRST_INDEX) {
      const value = bareCarrier.getStore();
      if (value !== undefined) return bareStore(value);
    } else {
      const frame = frameCarrier.getStore();
      if (frame !== undefined && frame[index] === this.#generation) return frame[index + 1];
    }
    return this.#defaultValue;
  }

  static {
    // Node 22's class keeps no private state: any receiver gets undefined,
    // and it has no default value. Swapped in once, so the method above
    // carries no version check.
    if (!supportsOptions) {
      const { getStore } = {
        getStore() {
          let index;
          try {
            index = this.#index;
          } catch {
            return undefined; // a foreign receiver
          }
          if (index === FIRST_INDEX) return bareStore(bareCarrier.getStore());
          const frame = frameCarrier.getStore();
          return frame !== undefined && frame[index] === this.#generation ? frame[index + 1] : undefined;
        },
      };
      Object.defineProperty(AsyncLocalStorage.prototype, 'getStore', { value: getStore });
    }
  }

  // Whether `value` is one of ours (the built-in's methods accept any
  // receiver where they keep no private state, even a primitive).
  static #owns(value) {
    return value !== null && (typeof value === 'object' || typeof value === 'function') && #index in value;
  }

  withScope(store) {
    return new RunScope(this, store);
  }
}

matchBuiltinSurface(AsyncLocalStorage);

const { getStore: ownGetStore, enterWith: ownEnterWith } = AsyncLocalStorage.prototype;

// The built-in's run(), step by step, for subclasses that override
// getStore() or enterWith() (the calls are observable to them).
function runThroughOverrides(storage, data, fn, args) {
  const prior = storage.getStore();
  if (ObjectIs(prior, data)) {
    return ReflectApply(fn, null, args);
  }
  storage.enterWith(data);
  try {
    return ReflectApply(fn, null, args);
  } finally {
    storage.enterWith(prior);
  }
}

module.exports = AsyncLocalStorage;
