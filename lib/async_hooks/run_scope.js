'use strict';
// The disposable returned by AsyncLocalStorage#withScope(), same behaviour
// as Node's internal/async_local_storage/run_scope.js.

const { SymbolDispose } = require('./primordials');

class RunScope {
  #storage;
  #previousStore;
  #disposed = false;

  constructor(storage, store) {
    this.#storage = storage;
    this.#previousStore = storage.getStore();
    storage.enterWith(store);
  }

  dispose() {
    if (this.#disposed) {
      return;
    }
    this.#disposed = true;
    this.#storage.enterWith(this.#previousStore);
  }

  [SymbolDispose]() {
    this.dispose();
  }
}

module.exports = RunScope;
