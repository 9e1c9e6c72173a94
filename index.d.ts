// Public types of fast-async-hooks.
//
// The node:async_hooks surface is typed by re-exporting @types/node's own
// declarations: our AsyncLocalStorage behaves exactly like the built-in one
// of the running Node, so code written against the built-in type-checks
// unchanged when its import is swapped.

export {
  AsyncLocalStorage,
  AsyncResource,
  createHook,
  executionAsyncId,
  executionAsyncResource,
  triggerAsyncId,
  asyncWrapProviders,
} from 'node:async_hooks';

export type {
  AsyncHook,
  AsyncLocalStorageOptions,
  AsyncResourceOptions,
  HookCallbacks,
} from 'node:async_hooks';

export * from './lib/request/index';
export * from './lib/tracker/index';

/** Version of the loaded native addon; throws an Error with code ERR_FAST_ASYNC_HOOKS_NO_BINARY if there is no binary for this platform. */
export function nativeVersion(): string;
