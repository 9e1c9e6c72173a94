// CommonJS-style import, as in `const { AsyncLocalStorage } = require(...)`.
import hooks = require('fast-async-hooks');

const als = new hooks.AsyncLocalStorage<{ traceId: string }>();
const traceId: string | undefined = als.getStore()?.traceId;
const res = new hooks.AsyncResource('Job');
res.runInAsyncScope(() => traceId);

export = { traceId };
