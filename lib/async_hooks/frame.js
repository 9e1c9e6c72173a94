'use strict';
// The frame: one array that holds the stores of every one of our
// AsyncLocalStorage instances, so the runtime propagates a single value per
// async resource whatever the number of instances.
//
// Layout: [ownership, generation0, store0, generation1, store1, ...].
// Each instance owns a slot; slot `s` occupies indexes 1+2s (generation) and
// 2+2s (store). An entry exists only when the generation stored there equals
// the owner's generation, so a slot recycled after its owner was garbage
// collected never shows the old owner's store to the new one, and frames
// never hold a reference to an instance (instances stay collectable).
//
// `ownership` is EXCLUSIVE while a single holder can reach the frame and
// SHARED once anything else may hold it (propagated to a child resource,
// carried by an AsyncContextFrame map). Shared frames are never changed;
// an exclusive frame may be updated in place, which is what lets run() on
// the promise-hook flavour avoid allocating, like the built-in's property
// writes. The AsyncContextFrame flavour does not use ownership: its frames
// are only reachable through the built-in's maps and never updated in place
// (but by disable(), which mirrors the built-in deleting from its map).

const { ArrayIsArray } = require('./primordials');

// Objects rather than numbers, so every frame starts with generic elements
// and keeps one elements kind whatever the stores (faster, monomorphic reads).
const EXCLUSIVE = Object.freeze({ __proto__: null, ownership: 'exclusive' });
const SHARED = Object.freeze({ __proto__: null, ownership: 'shared' });
const FIRST_INDEX = 1;

// The engines carry the first instance's store bare, without a frame (its
// slot is never recycled, so it needs no generation check): always, under a
// carrier of its own (frame_storage.js), or while it is the only entry of a
// resource (hooks_storage.js; there a store that is an array always goes
// into a frame, so an array is always a frame). A bare present-undefined is
// this sentinel, distinct from "no entry".
const UNDEFINED_STORE = Object.freeze({ __proto__: null, store: undefined });

/** Whether a carried value is a frame (else undefined or a bare store). */
function isFrame(value) {
  try {
    return ArrayIsArray(value);
  } catch {
    return false; // a revoked Proxy: never a frame of ours
  }
}

/** The store a bare value stands for. */
function bareStore(value) {
  return value === UNDEFINED_STORE ? undefined : value;
}

/** The bare value standing for `store` (never an array: see above). */
function bareOf(store) {
  return store === undefined ? UNDEFINED_STORE : store;
}

/** The store of the instance at `index` in carried value `value`, or `absent`. */
function entryOf(value, index, generation, absent) {
  if (value === undefined) return absent;
  if (isFrame(value)) return value[index] === generation ? value[index + 1] : absent;
  return index === FIRST_INDEX ? bareStore(value) : absent;
}

/** An exclusive frame holding the first instance's bare store. */
function frameOfBare(value) {
  return [EXCLUSIVE, generationAt(FIRST_INDEX), bareStore(value)];
}

// Generation 0 is never handed out, so a zero-filled slot is "no entry".
const generations = [];
const freeSlots = [];
const onRelease = [];

const registry = new FinalizationRegistry((slot) => {
  for (let i = 0; i < onRelease.length; i++) onRelease[i](slot);
  // Slot 0 is never recycled: its owner is the first instance for the life
  // of the process, which lets the engines carry that instance's store bare
  // with no generation to check.
  if (slot !== 0) freeSlots.push(slot);
});

/**
 * Reserves a slot for `owner` until it is garbage collected.
 * @returns {number} the frame index of the slot's generation entry
 */
function allocateSlot(owner) {
  let slot = freeSlots.pop();
  if (slot === undefined) {
    slot = generations.length;
    generations.push(0);
  }
  ++generations[slot];
  registry.register(owner, slot);
  return indexOfSlot(slot);
}

/** The generation of the slot at frame index `index` (its current owner's). */
function generationAt(index) {
  return generations[(index - FIRST_INDEX) / 2];
}

function indexOfSlot(slot) {
  return FIRST_INDEX + slot * 2;
}

/** Registers a callback run with the slot number when its owner is collected. */
function onSlotReleased(callback) {
  onRelease.push(callback);
}

/** An exclusive copy of `frame` (which may be undefined: no stores yet). */
function copyFrame(frame) {
  if (frame === undefined) return [EXCLUSIVE];
  // Frames of up to four instances are copied through array literals, which
  // TurboFan allocates inline: 25 instructions for three elements where
  // slice() costs 170 (a builtin call; callgrind, Node 24). Longer frames
  // take the direct slice() call (through Reflect.apply it is slower still).
  // Frames are private arrays; only a patch of Array.prototype.slice itself
  // could reach this.
  switch (frame.length) {
    case 1: return [EXCLUSIVE];
    case 3: return [EXCLUSIVE, frame[1], frame[2]];
    case 5: return [EXCLUSIVE, frame[1], frame[2], frame[3], frame[4]];
    case 7: return [EXCLUSIVE, frame[1], frame[2], frame[3], frame[4], frame[5], frame[6]];
    case 9: return [EXCLUSIVE, frame[1], frame[2], frame[3], frame[4], frame[5], frame[6], frame[7], frame[8]];
  }
  const next = frame.slice();
  next[0] = EXCLUSIVE;
  return next;
}

/** Sets the entry at `index` in an exclusive frame, growing it if needed. */
function setEntry(frame, index, generation, store) {
  // Zero-fill up to the slot so the array stays packed (faster reads).
  for (let i = frame.length; i < index; i += 2) {
    frame[i] = 0;
    frame[i + 1] = undefined;
  }
  frame[index] = generation;
  frame[index + 1] = store;
}

/** An exclusive copy of `frame` whose entry at `index` is (`generation`, `store`). */
function frameWith(frame, index, generation, store) {
  // The first instance in a new frame: built whole (growing a one-element
  // array reallocates its elements).
  if (frame === undefined && index === FIRST_INDEX) return [EXCLUSIVE, generation, store];
  const next = copyFrame(frame);
  setEntry(next, index, generation, store);
  return next;
}

/** Clears the entry at `index` of an exclusive frame, in place. */
function clearEntry(frame, index) {
  frame[index] = 0;
  frame[index + 1] = undefined;
}

/** An exclusive copy of `frame` without the entry at `index`. */
function frameWithout(frame, index) {
  const next = copyFrame(frame);
  clearEntry(next, index);
  return next;
}

module.exports = {
  EXCLUSIVE,
  SHARED,
  FIRST_INDEX,
  UNDEFINED_STORE,
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
};
