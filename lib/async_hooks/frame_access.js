'use strict';
// Direct reads and writes of the current AsyncContextFrame, for
// frame_storage.js and keyed_frame_storage.js.
//
// The built-in's enterWith() builds its new frame with
// `new AsyncContextFrame(store, data)`, whose `super(current)` copies the
// current Map through the generic iterator protocol: ~250 ns for a frame of
// one or two entries, twice per run(). The same frame (a Map whose prototype
// is AsyncContextFrame.prototype, the same entries in the same order) built
// with forEach costs about half. Writing it needs V8's
// `setContinuationPreservedEmbedderData`, which Node keeps internal; V8
// also puts it, with its getter, on the context's extras binding object,
// which the native addon fetches once (src/continuation_data.rs). Both are
// V8 builtins that the optimizing compilers turn into a load and a store:
// no native call on any per-call path.
//
// Every frame written here is a new object, as the built-in's are, so
// disable() (an in-place delete) reaches exactly the continuations it
// reaches on the built-in.
//
// Exports null when the binding is unavailable (no prebuilt binary, another
// engine's V8) or does not behave as the built-in's frame does, or when
// FAST_ASYNC_HOOKS_PORTABLE=1 asks for public Node APIs only; the storage
// then goes through the built-in carrier's own methods (same behaviour,
// slower run()).

const { BuiltinAsyncLocalStorage } = require('./mechanism');

// Only for the brand check at load. Frames are read and written through
// their own methods, which Node's frame class takes from its primordial
// SafeMap (user code patching Map.prototype cannot reach them), and which
// V8 inlines from the call site's feedback: the uncurried primordial form
// cost getStore() ~30 more instructions on Node 22 (callgrind).
const MapPrototypeGet = Function.prototype.call.bind(Map.prototype.get);
const { construct: ReflectConstruct, getPrototypeOf: ReflectGetPrototypeOf } = Reflect;
const MapConstructor = Map;

function loadBinding() {
  try {
    const binding = require('../native').v8ExtrasBinding();
    if (binding === undefined || binding === null) return null;
    const get = binding.getContinuationPreservedEmbedderData;
    const set = binding.setContinuationPreservedEmbedderData;
    return typeof get === 'function' && typeof set === 'function' ? { get, set } : null;
  } catch {
    // No loadable binary for this platform or version: the portable path.
    return null;
  }
}

function copyEntryInto(value, key) {
  this.set(key, value);
}

/**
 * `{ currentFrame, setFrame, frameWith }` bound to this Node's frame class,
 * after checking on a probe instance that frames written here are the ones
 * the built-in reads and that its frames are what this module writes.
 */
function createFrameAccess() {
  if (process.env.FAST_ASYNC_HOOKS_PORTABLE === '1') return null;
  const binding = loadBinding();
  if (binding === null) return null;
  const { get: currentFrame, set: setFrame } = binding;

  const before = currentFrame();
  const probe = new BuiltinAsyncLocalStorage();
  const token = {};
  try {
    probe.enterWith(token);
    const frame = currentFrame();
    // Node's frames extend its primordial SafeMap, not the global Map, so
    // `instanceof Map` is false; Map.prototype.get checks the brand (throws
    // on anything but a Map).
    let seen;
    try {
      seen = MapPrototypeGet(frame, probe);
    } catch {
      return null;
    }
    if (seen !== token) return null;
    const FramePrototype = ReflectGetPrototypeOf(frame);
    const Frame = FramePrototype.constructor;
    if (typeof Frame !== 'function' || Frame.prototype !== FramePrototype) return null;

    /** A new frame: the entries of `base` (a frame or undefined), then `key` set to `value`. */
    const frameWith = (base, key, value) => {
      const next = ReflectConstruct(MapConstructor, [], Frame);
      if (base !== undefined) base.forEach(copyEntryInto, next);
      next.set(key, value);
      return next;
    };

    const written = {};
    setFrame(frameWith(frame, probe, written));
    if (probe.getStore() !== written) return null;
    return { currentFrame, setFrame, frameWith };
  } finally {
    // The frame of the code that loaded us, as it was: the probe leaves no
    // entry behind for every later frame to copy.
    setFrame(before);
  }
}

module.exports = createFrameAccess();
