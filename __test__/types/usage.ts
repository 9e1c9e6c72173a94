// Type-level drop-in check: the same code written against node:async_hooks
// must type-check against fast-async-hooks. Compiled with `tsc --noEmit`
// only; never executed.
import {
  AsyncLocalStorage,
  AsyncResource,
  createHook,
  executionAsyncId,
  executionAsyncResource,
  triggerAsyncId,
  asyncWrapProviders,
} from 'fast-async-hooks';
import type { AsyncHook, HookCallbacks } from 'fast-async-hooks';
import * as builtin from 'node:async_hooks';

interface RequestContext {
  requestId: string;
  user?: { id: number };
}

// Generics: getStore() is T | undefined, run() returns the callback's type.
const als = new AsyncLocalStorage<RequestContext>();
const store: RequestContext | undefined = als.getStore();
const n: number = als.run({ requestId: 'r1' }, (a: number, b: string) => a + b.length, 1, 'xy');
const p: Promise<string> = als.run({ requestId: 'r2' }, async () => als.getStore()?.requestId ?? '');
als.enterWith({ requestId: 'r3', user: { id: 1 } });
const exited: boolean = als.exit(() => als.getStore() === undefined);
als.disable();
// @ts-expect-error a store of the wrong shape is rejected
als.run({ requestId: 1 }, () => {});
// @ts-expect-error getStore() may be undefined
const notOptional: RequestContext = als.getStore();

// Options (Node >= 23.x / 22.x typings): defaultValue and name.
const counter = new AsyncLocalStorage<number>({ defaultValue: 0, name: 'counter' });
const counterName: string = counter.name;

// Static helpers.
const bound: (x: number) => number = AsyncLocalStorage.bind((x: number) => x * 2);
const snapshot = AsyncLocalStorage.snapshot();
const fromSnapshot: string = snapshot((s: string) => s.toUpperCase(), 'a');

// Assignable both ways with the built-in class (same instance shape).
const asBuiltin: builtin.AsyncLocalStorage<RequestContext> = als;
const fromBuiltin: AsyncLocalStorage<number> = new builtin.AsyncLocalStorage<number>();

// AsyncResource: construction forms, scope, bind, ids.
class DbQuery extends AsyncResource {
  constructor() {
    super('DbQuery', { triggerAsyncId: executionAsyncId(), requireManualDestroy: true });
  }
  done(cb: (err: Error | null, rows: string[]) => void): void {
    this.runInAsyncScope(cb, null, null, ['row']);
    this.emitDestroy();
  }
}
const q = new DbQuery();
const ids: [number, number] = [q.asyncId(), q.triggerAsyncId()];
const r2 = new AsyncResource('Numeric', 1);
const boundMethod: (s: string) => number = r2.bind((s: string) => s.length);
const staticBound: (s: string) => number = AsyncResource.bind((s: string) => s.length, 'T');
const self: AsyncResource = r2.emitDestroy();

// Hooks.
const callbacks: HookCallbacks = {
  init(asyncId: number, type: string, trigger: number, resource: object) {},
  before(asyncId: number) {},
  after(asyncId: number) {},
  destroy(asyncId: number) {},
  promiseResolve(asyncId: number) {},
};
const hook: AsyncHook = createHook(callbacks).enable();
hook.disable();
const eid: number = executionAsyncId();
const tid: number = triggerAsyncId();
const resource: object = executionAsyncResource();
const promiseProvider: number = asyncWrapProviders.PROMISE;

export { counterName, store, n, p, exited, notOptional, bound, fromSnapshot, asBuiltin, fromBuiltin, ids, boundMethod, staticBound, self, eid, tid, resource, promiseProvider };
