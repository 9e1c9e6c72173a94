'use strict';
// The built-in AsyncContextFrame run(), step by step, for subclasses that
// override getStore() or enterWith(): the calls are observable to them.

const { ObjectIs, ReflectApply } = require('./primordials');

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

module.exports = runThroughOverrides;
