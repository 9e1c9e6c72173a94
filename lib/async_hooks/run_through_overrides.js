'use strict';
// The built-in AsyncContextFrame run(), step by step, for subclasses that
// override getStore() or enterWith() (the calls are observable to them) and
// for receivers that are not instances. Called with the run() receiver as
// `this`, so what a bad receiver throws reads as the built-in's does
// ("this.getStore is not a function").

const { ObjectIs, ReflectApply } = require('./primordials');

function runThroughOverrides(data, fn, args) {
  const prior = this.getStore();
  if (ObjectIs(prior, data)) {
    return ReflectApply(fn, null, args);
  }
  this.enterWith(data);
  try {
    return ReflectApply(fn, null, args);
  } finally {
    this.enterWith(prior);
  }
}

module.exports = runThroughOverrides;
