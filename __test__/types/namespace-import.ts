// Namespace and default imports, as users write them for node:async_hooks.
import * as hooks from 'fast-async-hooks';
import asyncHooks from 'fast-async-hooks';

const a = new hooks.AsyncLocalStorage<Map<string, unknown>>();
a.run(new Map(), () => {
  const m: Map<string, unknown> | undefined = a.getStore();
  m?.set('k', 1);
});
const b = new asyncHooks.AsyncLocalStorage<string>();
const s: string | undefined = b.getStore();
const id: number = asyncHooks.executionAsyncId();

export { s, id };
