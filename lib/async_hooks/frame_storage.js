'use strict';
// AsyncLocalStorage for Nodes whose built-in runs on AsyncContextFrame
// (Node 24+ by default, Node 22 with --experimental-async-context-frame).
//
// The built-in copies the whole instance map twice per run(), so its cost
// grows with the number of live instances. Here every instance of ours is a
// slot of one frame array, and that array is the value of a single built-in
// instance (the carrier): V8 propagates it for free, and run() copies a
// one-entry map whatever the number of our instances.
//
// Where the addon could fetch V8's frame accessors (frame_access.js), the
// carrier's map is built and installed here, at half the cost of the
// built-in's enterWith(); otherwise through the carrier's own methods.
//
// Each method mirrors internal/async_local_storage/async_context_frame.js
// step by step (the "map" being our frame), so observable behaviour is the
// built-in's: run() restores with enterWith(prior), exit() is run(undefined),
// disable() deletes from the current frame in place.
//
// The carrier holds one of three things:
//   undefined      none of our instances has an entry;
//   a frame        an array, see frame.js;
//   anything else  the store of the first instance (frame index FIRST_INDEX,
//                  a slot never recycled), its only entry, carried bare
//                  (UNDEFINED_STORE standing for a present undefined, which
//                  must stay distinct from "no entry").
// The bare form makes a context of a single instance cost what the
// built-in's costs, its map and nothing more: no frame array per run(). A
// store that is an array always goes into a frame, so an array is always a
// frame.

const { AsyncResource } = require('node:async_hooks');
const { ArrayIsArray, ObjectIs, ReflectApply } = require('./primordials');
const {
  EXCLUSIVE,
  FIRST_INDEX,
  UNDEFINED_STORE,
  isFrame,
  bareOf,
  entryOf,
  frameOfBare,
  allocateSlot,
  generationAt,
  copyFrame,
  frameWith,
  setEntry,
} = require('./frame');
const {
  BuiltinAsyncLocalStorage,
  supportsOptions,
  readOptions,
  matchBuiltinSurface,
} = require('./mechanism');
const RunScope = require('./run_scope');

const carrier = new BuiltinAsyncLocalStorage();

// The carrier's store, read and written as its own getStore()/enterWith()
// do, through frame_access.js where this Node allows (half the cost of the
// built-in's frame copy), else through those methods.
const frameAccess = require('./frame_access');
const readCarrier = frameAccess === null ?
  () => carrier.getStore() :
  (({ currentFrame }) => () => {
    const frame = currentFrame();
    return frame === undefined ? undefined : frame.get(carrier);
  })(frameAccess);
const writeCarrier = frameAccess === null ?
  (value) => carrier.enterWith(value) :
  (({ currentFrame, setFrame, frameWith }) => (value) => {
    setFrame(frameWith(currentFrame(), carrier, value));
  })(frameAccess);

// Counts our writes of the carrier. Only our code writes it (everything else
// that changes the current frame restores it before returning), so while
// this count is unchanged the carrier still holds the frame last written.
let carrierWrites = 0;

/** A new carrier value: `value` with the entry at `index` set to `store`. */
function withEntry(value, index, generation, store) {
  if (isFrame(value)) return frameWith(value, index, generation, store);
  // `value` is undefined or the first instance's bare store.
  if (index === FIRST_INDEX) {
    return isFrame(store) ? [EXCLUSIVE, generation, store] : bareOf(store);
  }
  const next = value === undefined ? [EXCLUSIVE] : frameOfBare(value);
  setEntry(next, index, generation, store);
  return next;
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
    const value = readCarrier();
    if (isFrame(value)) {
      if (value[this.#index] === this.#generation) {
        // In place, like the built-in's delete on the current frame: every
        // continuation that captured this frame loses the store too.
        value[this.#index] = 0;
        value[this.#index + 1] = undefined;
      }
    } else if (value !== undefined && this.#index === FIRST_INDEX) {
      // A bare store: the carrier's entry is this instance's alone, so the
      // built-in's own in-place delete of it is exactly ours.
      carrierWrites++;
      carrier.disable();
    }
  }

  enterWith(data) {
    const value = readCarrier();
    if (!AsyncLocalStorage.#owns(this)) {
      // The built-in would add a key for this foreign object to a new
      // frame; the stores of every real instance stay as they were.
      carrierWrites++;
      writeCarrier(isFrame(value) ? copyFrame(value) : value);
      return;
    }
    carrierWrites++;
    writeCarrier(withEntry(value, this.#index, this.#generation, data));
  }

  run(data, fn, ...args) {
    // Unless a subclass overrides them, getStore() and enterWith() are
    // ours: do their work inline, reading the current frame once.
    const { getStore, enterWith } = this;
    if (getStore !== ownGetStore || enterWith !== ownEnterWith) {
      return runThroughOverrides(this, data, fn, args);
    }
    const index = this.#index;
    const generation = this.#generation;
    const value = readCarrier();
    const prior = entryOf(value, index, generation, this.#defaultValue);
    if (ObjectIs(prior, data)) {
      return ReflectApply(fn, null, args);
    }
    const entered = withEntry(value, index, generation, data);
    const writes = ++carrierWrites;
    writeCarrier(entered);
    try {
      return ReflectApply(fn, null, args);
    } finally {
      // The current frame, read only if one of ours changed it meanwhile.
      const current = writes === carrierWrites ? entered : readCarrier();
      carrierWrites++;
      writeCarrier(withEntry(current, index, generation, prior));
    }
  }

  exit(fn, ...args) {
    return this.run(undefined, fn, ...args);
  }

  getStore() {
    const value = readCarrier();
    if (value !== undefined) {
      // One read of each field: each private read is a map check in
      // optimized code, and this is the hottest method of the class.
      let index;
      try {
        index = this.#index;
      } catch {
        // A foreign receiver: fail as the built-in does, on #defaultValue.
        return this.#defaultValue;
      }
      if (isFrame(value)) {
        if (value[index] === this.#generation) return value[index + 1];
      } else if (index === FIRST_INDEX) {
        return value === UNDEFINED_STORE ? undefined : value;
      }
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
          const value = readCarrier();
          if (value === undefined) return undefined;
          // One try block, cheaper than a brand check up front when the
          // receiver is ours (callgrind).
          try {
            const index = this.#index;
            if (ArrayIsArray(value)) return value[index] === this.#generation ? value[index + 1] : undefined;
            return index === FIRST_INDEX && value !== UNDEFINED_STORE ? value : undefined;
          } catch {
            // A foreign receiver, or a bare store that is a revoked Proxy.
            return AsyncLocalStorage.#owns(this) && this.#index === FIRST_INDEX ? value : undefined;
          }
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
