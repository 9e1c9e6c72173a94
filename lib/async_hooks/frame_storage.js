'use strict';
// AsyncLocalStorage for Nodes whose built-in runs on AsyncContextFrame
// (Node 24+ by default, Node 22 with --experimental-async-context-frame).
//
// The built-in copies the whole instance map twice per run(), so its cost
// grows with the number of live instances. Here every instance of ours but
// the first is a slot of one frame array, and that array is the value of a
// single built-in instance (the carrier), the first instance's store that of
// another: V8 propagates them for free, and run() copies a map of at most
// two entries (see below) whatever the number of our instances.
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
// Two built-in instances carry our stores:
//   carrier       undefined, or a frame (an array, see frame.js) holding the
//                 stores of every instance but the first;
//   firstCarrier  the store of the first instance created (frame index
//                 FIRST_INDEX, a slot never recycled), bare: no frame array
//                 per run() in the common one-instance case (UNDEFINED_STORE
//                 stands for a present undefined, which must stay distinct
//                 from "no entry").
// Keeping the bare store out of the frame carrier means a carried value is
// never "frame or bare store": telling them apart took Array.isArray on
// every read, which Node 22's compilers do not inline (getStore() 99 ->
// 131 instructions; callgrind). Keying the first instance's entry by the
// instance itself, as the built-in does, cost more: 121 for it and 211 for
// the others, whose lookups then start with a miss.

const { AsyncResource } = require('node:async_hooks');
const { ObjectIs, ReflectApply } = require('./primordials');
const {
  FIRST_INDEX,
  bareStore,
  bareOf,
  allocateSlot,
  generationAt,
  copyFrame,
  frameWith,
  frameWithout,
  clearEntry,
} = require('./frame');
const {
  BuiltinAsyncLocalStorage,
  supportsOptions,
  readOptions,
  matchBuiltinSurface,
} = require('./mechanism');
const RunScope = require('./run_scope');
const runThroughOverrides = require('./run_through_overrides');

// A carrier's store, read and written as its own getStore()/enterWith()
// do, through frame_access.js where this Node allows (half the cost of the
// built-in's frame copy), else through those methods.
const frameAccess = require('./frame_access');
const carrier = new BuiltinAsyncLocalStorage();
const firstCarrier = new BuiltinAsyncLocalStorage();
const { currentFrame, setFrame, frameWith: mapWith } = frameAccess ?? {};
const readCarrier = frameAccess === null ?
  (key) => key.getStore() :
  (key) => {
    const frame = currentFrame();
    return frame === undefined ? undefined : frame.get(key);
  };
const writeCarrier = frameAccess === null ?
  (key, value) => key.enterWith(value) :
  (key, value) => setFrame(mapWith(currentFrame(), key, value));

// Counts our writes of the frame carrier. Only our code writes it
// (everything else that changes the current frame keeps its entry), so
// while this count is unchanged the carrier still holds the frame last
// written.
let carrierWrites = 0;

// disable() of an instance in the frame carrier must reach the continuations
// that captured the current frame (map) and no others, as the built-in's
// in-place delete from that map does. A frame array is shared by every map
// made from the current one meanwhile (by the first instance's writes, or a
// built-in instance's), so it cannot just be edited in place:
//   - with direct access, the current map gets a new array, in place;
//   - through the public API, which cannot edit a map, every map of ours
//     owns its array (the first instance's writes copy it), so the array is
//     edited in place. A built-in instance's enterWith() in between still
//     shares it (FAST_ASYNC_HOOKS_PORTABLE=1 only; see the README).
const writeFirstCarrier = frameAccess === null ?
  (value) => {
    firstCarrier.enterWith(value);
    const frame = carrier.getStore();
    if (frame !== undefined) {
      carrierWrites++;
      carrier.enterWith(copyFrame(frame));
    }
  } :
  (value) => writeCarrier(firstCarrier, value);
const deleteFromCarrier = frameAccess === null ?
  clearEntry :
  (frame, index) => currentFrame().set(carrier, frameWithout(frame, index));

// getStore()'s read, for the instance at `index`.
function storeOf(index, generation, defaultValue) {
  if (index === FIRST_INDEX) {
    const held = readCarrier(firstCarrier);
    return held === undefined ? defaultValue : bareStore(held);
  }
  const frame = readCarrier(carrier);
  return frame !== undefined && frame[index] === generation ? frame[index + 1] : defaultValue;
}

// Runs every path of storeOf() once at load, so each has type feedback. A
// path a process has not taken yet (only one instance, only later ones,
// never an absent store) is compiled by TurboFan to an unconditional
// deoptimization, which keeps it from peeling a caller's loop: nothing
// invariant is then hoisted out of it (Node 22
// --experimental-async-context-frame, callgrind, getStore() in a loop: 121
// -> 103 instructions, the built-in's 98). Per-instance reader closures
// avoid those paths too (100), but a call site reading two kinds of
// instance then goes megamorphic: 345 for the first and the last instance
// read in turn, against 208 here and the built-in's 178.
function warmStoreOf() {
  const later = FIRST_INDEX + 2;
  const read = () => {
    for (let i = 0; i < 20; i++) {
      storeOf(FIRST_INDEX, 1, undefined);
      storeOf(later, 1, undefined);
      storeOf(later, 2, undefined);
    }
  };
  read();
  // The loading code's frame is put back as it was: the carriers' run()
  // would leave entries holding undefined in it.
  const before = currentFrame();
  try {
    writeCarrier(firstCarrier, {});
    writeCarrier(carrier, frameWith(undefined, later, 1, {}));
    read();
  } finally {
    setFrame(before);
  }
}
// Through the public API (portable mode) the loading code's frame could
// not be put back exactly; that mode goes without.
if (frameAccess !== null) warmStoreOf();

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
    const index = this.#index;
    if (index === FIRST_INDEX) {
      // The entry is this instance's alone: the built-in's own in-place
      // delete of it is exactly ours.
      firstCarrier.disable();
      return;
    }
    const frame = readCarrier(carrier);
    if (frame !== undefined && frame[index] === this.#generation) {
      carrierWrites++;
      deleteFromCarrier(frame, index);
    }
  }

  enterWith(data) {
    if (!AsyncLocalStorage.#owns(this)) {
      // The built-in would add a key for this foreign object to a new
      // frame; the stores of every real instance stay as they were.
      const frame = readCarrier(carrier);
      carrierWrites++;
      writeCarrier(carrier, frame === undefined ? undefined : copyFrame(frame));
      return;
    }
    const index = this.#index;
    if (index === FIRST_INDEX) {
      writeFirstCarrier(bareOf(data));
      return;
    }
    const frame = readCarrier(carrier);
    carrierWrites++;
    writeCarrier(carrier, frameWith(frame, index, this.#generation, data));
  }

  run(data, fn, ...args) {
    // Unless a subclass overrides them, getStore() and enterWith() are
    // ours: do their work inline, reading the current frame once.
    if (this.getStore !== ownGetStore || this.enterWith !== ownEnterWith) {
      return ReflectApply(runThroughOverrides, this, [data, fn, args]);
    }
    const index = this.#index;
    if (index === FIRST_INDEX) {
      const prior = storeOf(FIRST_INDEX, undefined, this.#defaultValue); // no generation to check
      if (ObjectIs(prior, data)) {
        return ReflectApply(fn, null, args);
      }
      writeFirstCarrier(bareOf(data));
      try {
        return ReflectApply(fn, null, args);
      } finally {
        writeFirstCarrier(bareOf(prior));
      }
    }
    const generation = this.#generation;
    const frame = readCarrier(carrier);
    const prior = frame !== undefined && frame[index] === generation ? frame[index + 1] : this.#defaultValue;
    if (ObjectIs(prior, data)) {
      return ReflectApply(fn, null, args);
    }
    const entered = frameWith(frame, index, generation, data);
    const writes = ++carrierWrites;
    writeCarrier(carrier, entered);
    try {
      return ReflectApply(fn, null, args);
    } finally {
      // The current frame, read only if one of ours changed it meanwhile.
      const current = writes === carrierWrites ? entered : readCarrier(carrier);
      carrierWrites++;
      writeCarrier(carrier, frameWith(current, index, generation, prior));
    }
  }

  exit(fn, ...args) {
    return this.run(undefined, fn, ...args);
  }

  getStore() {
    try {
      return storeOf(this.#index, this.#generation, this.#defaultValue);
    } catch {
      // A foreign receiver: fail as the built-in does, on #defaultValue.
      return this.#defaultValue;
    }
  }

  static {
    // Node 22's class keeps no private state: any receiver gets undefined.
    // Swapped in once, so the method above carries no version check.
    if (!supportsOptions) {
      const { getStore } = {
        getStore() {
          try {
            return storeOf(this.#index, this.#generation, undefined);
          } catch {
            return undefined; // a foreign receiver
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

module.exports = AsyncLocalStorage;
