'use strict';
// Built-ins captured at load time, as Node's own lib does with `primordials`,
// so user code that later patches Reflect or Object cannot change how the
// hot paths behave.

module.exports = {
  ArrayIsArray: Array.isArray,
  ArrayPrototypeIndexOf: Function.prototype.call.bind(Array.prototype.indexOf),
  ArrayPrototypePush: Function.prototype.call.bind(Array.prototype.push),
  ArrayPrototypeSlice: Function.prototype.call.bind(Array.prototype.slice),
  ArrayPrototypeSplice: Function.prototype.call.bind(Array.prototype.splice),
  ObjectFreeze: Object.freeze,
  ObjectIs: Object.is,
  ReflectApply: Reflect.apply,
  SymbolDispose: Symbol.dispose ?? Symbol.for('nodejs.dispose'),
};
