'use strict';
// AsyncLocalStorage for Nodes whose built-in runs on promise hooks
// (Node 20 and 22 by default, Node 24+ with --no-async-context-frame).
//
// The built-in copies one property per enabled instance onto every new
// async resource, so each `await` pays for every instance. Here one init
// hook copies one property (the frame holding all of our instances' stores)
// whatever the number of instances, and reads/writes go straight to the
// current execution resource, as the built-in does.
//
// Each method mirrors internal/async_local_storage/async_hooks.js (Node 24+)
// or the class in async_hooks.js (Node 20/22): the per-instance property on
// a resource is our instance's entry in that resource's frame. A frame that
// was propagated to a child is shared and replaced by a copy on the next
// change, so a child keeps the stores it was created with; a frame only the
// current resource holds is updated in place, without allocating.
//
// As in frame_storage.js, a resource holds undefined, a frame, or the first
// instance's store bare while it is the only entry (see frame.js). A bare
// store is written on the resource itself, exactly as the built-in writes
// its property, so a one-instance context allocates nothing of ours.

const {
  AsyncResource,
  createHook,
  executionAsyncResource,
} = require('node:async_hooks');
const {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  ObjectIs,
  ReflectApply,
} = require('./primordials');
const {
  EXCLUSIVE,
  SHARED,
  FIRST_INDEX,
  isFrame,
  bareStore,
  bareOf,
  entryOf,
  frameOfBare,
  allocateSlot,
  generationAt,
  indexOfSlot,
  onSlotReleased,
  setEntry,
  clearEntry,
  copyFrame,
  frameWith,
  frameWithout,
} = require('./frame');
const {
  supportsOptions,
  enablesOnConstruction,
  resourceContextSymbol,
  readOptions,
  matchBuiltinSurface,
} = require('./mechanism');
const RunScope = require('./run_scope');

const kFrame = Symbol('fast-async-hooks.frame');

// Where a resource keeps its frame. On Node 20/22 (FLAT) directly on the
// resource, as the built-in does there. On Node 24+ inside the per-resource
// store object Node clears when timers are cleaned up (see mechanism.js),
// exactly where a built-in instance keeps its store, so a retained Timeout
// releases our stores when Node releases the built-in's.
//
// Every read site spells the access out rather than calling a shared
// helper: property-access feedback is per function, and the init hook sees
// every resource shape, so a shared helper goes megamorphic and takes every
// getStore() with it (measured: 2x instructions per getStore on Node 22).
const FLAT = resourceContextSymbol === undefined;
const kContext = resourceContextSymbol;

// The Node 24+ store object, with a fixed shape (Node's own is a
// dictionary-mode `{ __proto__: null }`); built-in instances that add their
// keys to it still find nothing on its prototype chain.
class ResourceContext {
  constructor(frame) {
    this[kFrame] = frame;
  }
}
Object.setPrototypeOf(ResourceContext.prototype, null);

function writeFrame(resource, frame) {
  if (FLAT) {
    resource[kFrame] = frame;
  } else {
    const context = resource[kContext];
    if (context !== undefined) context[kFrame] = frame;
    else if (frame !== undefined) resource[kContext] = new ResourceContext(frame);
  }
}

// Enabled instances, held strongly exactly like the built-in's storageList.
const storageList = [];

// Disabled instances keep their entries in existing frames, but the built-in
// does not propagate a disabled instance's store to new resources, so those
// entries are stripped on propagation: index -> generation while disabled.
const disabledGenerations = [];
let disabledCount = 0;

function markDisabled(index, generation) {
  disabledGenerations[index] = generation;
  disabledCount++;
  adjustingCount++;
}

function unmarkDisabled(index) {
  if (disabledGenerations[index] !== undefined) {
    disabledGenerations[index] = undefined;
    disabledCount--;
    adjustingCount--;
  }
}

onSlotReleased((slot) => unmarkDisabled(indexOfSlot(slot)));

// One copy at most, with every disabled instance's entry cleared.
function withoutDisabled(frame) {
  let next = frame;
  for (let index = FIRST_INDEX; index < frame.length; index += 2) {
    const generation = disabledGenerations[index];
    if (generation !== undefined && frame[index] === generation) {
      if (next === frame) next = copyFrame(frame);
      clearEntry(next, index);
    }
  }
  return next;
}

// The value a child resource gets from a bare parent value.
function bareWithoutDisabled(value) {
  return disabledGenerations[FIRST_INDEX] === undefined ? value : undefined;
}

// Node 24+ propagation gives every enabled instance an entry in the new
// resource, holding undefined when the parent had none, and an entry hides
// defaultValue. Only instances with a defaultValue can tell the difference,
// so only those get entries added here: index -> generation while enabled.
// (Enabled instances are held by storageList, so never collected here.)
const defaultValueGenerations = [];
let defaultValueCount = 0;

// disabledCount + defaultValueCount: while 0 (the usual case), the init
// hook passes the parent's value on unchanged, after one test instead of two.
let adjustingCount = 0;

// One copy at most, with an entry for every enabled instance that has a
// defaultValue and no entry yet.
function withDefaultValueEntries(value) {
  const frame = value === undefined || isFrame(value) ? value : frameOfBare(value);
  let next = frame;
  for (let index = FIRST_INDEX; index < defaultValueGenerations.length; index += 2) {
    const generation = defaultValueGenerations[index];
    if (generation !== undefined && (next === undefined || next[index] !== generation)) {
      if (next === frame) next = copyFrame(frame);
      setEntry(next, index, generation, undefined);
    }
  }
  return next;
}

// The value a child resource gets from its parent's `frame` while some
// instance is disabled or has a defaultValue.
function adjustedForChild(frame) {
  if (frame !== undefined) {
    if (isFrame(frame)) {
      if (disabledCount !== 0) frame = withoutDisabled(frame);
      frame[0] = SHARED;
    } else if (disabledCount !== 0) {
      frame = bareWithoutDisabled(frame);
    }
  }
  if (defaultValueCount !== 0) {
    frame = withDefaultValueEntries(frame);
    frame[0] = SHARED;
  }
  return frame;
}

const storageHook = createHook({
  init(asyncId, type, triggerAsyncId, resource) {
    // Value of executionAsyncResource() is always a non null object.
    const current = executionAsyncResource();
    let frame = FLAT ? current[kFrame] : current[kContext]?.[kFrame];
    if (adjustingCount !== 0) frame = adjustedForChild(frame);
    else if (isFrame(frame)) frame[0] = SHARED;
    // writeFrame() spelled out: this store site sees every resource type.
    if (FLAT) {
      resource[kFrame] = frame;
    } else {
      const context = resource[kContext];
      if (context !== undefined) context[kFrame] = frame;
      else if (frame !== undefined) resource[kContext] = new ResourceContext(frame);
    }
  },
});

// Counts changes made to frames in place, so run() can tell that the frame
// it put on a resource still holds exactly what it held on entry.
let inPlaceWrites = 0;

// The per-resource write of the built-in: in place when the resource is the
// frame's only holder, else on a copy (children keep what they captured).
// Returns the copy, or undefined when the write was in place. The first
// instance's store goes bare on a resource that holds no frame.
function setStore(resource, index, generation, store) {
  let frame = FLAT ? resource[kFrame] : resource[kContext]?.[kFrame];
  if (isFrame(frame)) {
    if (frame[0] === EXCLUSIVE) {
      inPlaceWrites++;
      setEntry(frame, index, generation, store);
      return undefined;
    }
  } else if (index === FIRST_INDEX && !isFrame(store)) {
    const bare = bareOf(store);
    writeFrame(resource, bare);
    return bare;
  } else if (frame !== undefined) {
    frame = frameOfBare(frame);
  }
  const next = frameWith(frame, index, generation, store);
  writeFrame(resource, next);
  return next;
}

function deleteStore(resource, index) {
  const frame = FLAT ? resource[kFrame] : resource[kContext]?.[kFrame];
  if (frame === undefined) return;
  if (!isFrame(frame)) {
    if (index === FIRST_INDEX) writeFrame(resource, undefined);
    return;
  }
  if (index >= frame.length || frame[index] === 0) return;
  if (frame[0] === EXCLUSIVE) {
    inPlaceWrites++;
    clearEntry(frame, index);
  } else {
    writeFrame(resource, frameWithout(frame, index));
  }
}

class AsyncLocalStorage {
  // Initialized by the field initializers, not the constructor: a field
  // written once stays constant to V8, which can then fold these reads in
  // getStore() and run() (see frame_storage.js for the measurement).
  #index = allocateSlot(this);
  #generation = generationAt(this.#index);
  #defaultValue = undefined;
  #name = undefined;

  // A default keeps `AsyncLocalStorage.length` at 0, as the built-in's.
  constructor(options = undefined) {
    this.kResourceStore = Symbol('kResourceStore');
    this.enabled = false;
    const { defaultValue, name } = readOptions(options);
    this.#defaultValue = defaultValue;
    this.#name = name;
    if (enablesOnConstruction) this._enable();
  }

  get name() { return this.#name || ''; }

  static bind(fn) {
    return AsyncResource.bind(fn);
  }

  static snapshot() {
    return AsyncLocalStorage.bind((cb, ...args) => cb(...args));
  }

  disable() {
    if (this.enabled) {
      this.enabled = false;
      // If this.enabled, the instance must be in storageList
      ArrayPrototypeSplice(storageList, ArrayPrototypeIndexOf(storageList, this), 1);
      markDisabled(this.#index, this.#generation);
      if (this.#defaultValue !== undefined) {
        defaultValueGenerations[this.#index] = undefined;
        defaultValueCount--;
        adjustingCount--;
      }
      if (storageList.length === 0) {
        storageHook.disable();
      }
    }
  }

  _enable() {
    if (!this.enabled) {
      this.enabled = true;
      ArrayPrototypePush(storageList, this);
      unmarkDisabled(this.#index);
      // Only Nodes with defaultValue propagate entries this way (24+); on
      // Node 20/22 #defaultValue is always undefined.
      if (this.#defaultValue !== undefined) {
        defaultValueGenerations[this.#index] = this.#generation;
        defaultValueCount++;
        adjustingCount++;
      }
      storageHook.enable();
    }
  }

  // Propagate this instance's store from a parent resource to a child one.
  _propagate(resource, triggerResource, type) {
    if (this.enabled) {
      const parent = FLAT ? triggerResource[kFrame] : triggerResource[kContext]?.[kFrame];
      setStore(resource, this.#index, this.#generation, entryOf(parent, this.#index, this.#generation, undefined));
    }
  }

  enterWith(store) {
    this._enable();
    setStore(executionAsyncResource(), this.#index, this.#generation, store);
  }

  run(store, callback, ...args) {
    // The built-in calls this.getStore() and this._enable(); unless a
    // subclass overrides them, they are ours and done inline below, with
    // one executionAsyncResource() call instead of two.
    const overridden = this.getStore !== ownGetStore || this._enable !== ownEnable;
    if (overridden) {
      // Avoid creation of an AsyncResource if store is already active
      if (ObjectIs(store, this.getStore())) {
        return ReflectApply(callback, null, args);
      }
      this._enable();
    }

    const index = this.#index;
    const generation = this.#generation;
    const resource = executionAsyncResource();
    const frame = FLAT ? resource[kFrame] : resource[kContext]?.[kFrame];
    // What the built-in reads as the old property value.
    let hadEntry = false;
    let oldStore;
    if (isFrame(frame)) {
      hadEntry = frame[index] === generation;
      if (hadEntry) {
        oldStore = frame[index + 1];
        // This instance has an entry in a frame only this resource holds
        // (a run() nested in another of the same instance, or in any run()
        // that copied the frame): swap the store in place and put it back
        // in place, which is what setStore() and #restore() do here,
        // without their re-reads and checks.
        if (frame[0] === EXCLUSIVE && !overridden && this.enabled) {
          if (ObjectIs(store, oldStore)) {
            return ReflectApply(callback, null, args);
          }
          inPlaceWrites++;
          frame[index + 1] = store;
          try {
            return ReflectApply(callback, null, args);
          } finally {
            // Still this resource's frame, still exclusive: in place, as
            // setStore() would; else (captured by a child, or replaced)
            // the general restore.
            if ((FLAT ? resource[kFrame] : resource[kContext]?.[kFrame]) === frame && frame[0] === EXCLUSIVE) {
              inPlaceWrites++;
              frame[index] = generation;
              frame[index + 1] = oldStore;
            } else {
              this.#restore(resource, true, oldStore);
            }
          }
        }
      }
    } else if (frame !== undefined && index === FIRST_INDEX) {
      hadEntry = true;
      oldStore = bareStore(frame);
    }

    if (!overridden) {
      // getStore() inline: the default when disabled or unset.
      if (ObjectIs(store, this.enabled && hadEntry ? oldStore : this.#defaultValue)) {
        return ReflectApply(callback, null, args);
      }
      if (!this.enabled) this._enable();
    }
    const entered = setStore(resource, index, generation, store);
    const writes = inPlaceWrites;

    try {
      return ReflectApply(callback, null, args);
    } finally {
      // When the copy made on entry has since been captured by a child
      // resource, restoring would copy it again. If nothing has changed it,
      // the prior frame holds exactly what that restore would build (shared
      // frames are never changed): put it back instead. An uncaptured copy
      // is restored in place and stays, so later runs write in place. A
      // bare store entered is unchanged while the resource still holds it,
      // and the prior value (bare or none) is then the restored one.
      if (entered !== undefined && (hadEntry || this.#defaultValue === undefined) &&
          (FLAT ? resource[kFrame] : resource[kContext]?.[kFrame]) === entered &&
          (!isFrame(entered) || (entered[0] === SHARED && writes === inPlaceWrites))) {
        writeFrame(resource, frame);
      } else {
        this.#restore(resource, hadEntry, oldStore);
      }
    }
  }

  // The built-in writes the old value back, creating the property if there
  // was none; an entry holding undefined then hides defaultValue.
  #restore(resource, hadEntry, oldStore) {
    if (hadEntry || this.#defaultValue !== undefined) {
      setStore(resource, this.#index, this.#generation, oldStore);
    } else {
      deleteStore(resource, this.#index);
    }
  }

  exit(callback, ...args) {
    if (!this.enabled) {
      return ReflectApply(callback, null, args);
    }
    this.disable();
    try {
      return ReflectApply(callback, null, args);
    } finally {
      this._enable();
    }
  }

  getStore() {
    if (this.enabled) {
      const resource = executionAsyncResource();
      const frame = FLAT ? resource[kFrame] : resource[kContext]?.[kFrame];
      if (frame !== undefined) {
        const index = this.#index;
        if (isFrame(frame)) {
          if (frame[index] === this.#generation) return frame[index + 1];
        } else if (index === FIRST_INDEX) {
          return bareStore(frame);
        }
      }
    }
    // Node 20/22's class has no private state: a foreign receiver that is
    // not enabled gets undefined rather than a TypeError.
    return supportsOptions ? this.#defaultValue : undefined;
  }

  withScope(store) {
    return new RunScope(this, store);
  }
}

matchBuiltinSurface(AsyncLocalStorage);

const { getStore: ownGetStore, _enable: ownEnable } = AsyncLocalStorage.prototype;

module.exports = AsyncLocalStorage;
