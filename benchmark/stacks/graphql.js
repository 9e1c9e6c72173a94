'use strict';
// Stack: a promise-dense GraphQL server: graphql-js + DataLoader on
// node:http with the request kit (httpContext) and pino with pinoMixin.
//   node [flags] -r <preload> benchmark/stacks/graphql.js <instances: 4|1>
// 4 (default): also OpenTelemetry (http instrumentation, a span around
// execution and one per DataLoader batch) and two app stores entered per
// request (the tenant, the request's DataLoaders), as real apps keep them:
// 4 live AsyncLocalStorage instances. 1: the kit's instance only (no
// OpenTelemetry, tenant and loaders passed in graphql's contextValue).
// GET / executes QUERY: 100 users x 5 async resolvers (name, email, score,
// manager via DataLoader, manager.name) = 500 fields resolved through
// async resolvers, plus requestId; every name carries the request id read
// from the kit's context inside its resolver.

const instances = Number(process.argv[2] ?? 4);
if (instances !== 1 && instances !== 4) throw new Error('instances must be 1 or 4');

let otel = null;
if (instances === 4) {
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
  const { setupTracing } = require('./lib/otel');
  otel = setupTracing([new HttpInstrumentation()]);
}

const http = require('node:http');
const { AsyncLocalStorage } = require('node:async_hooks');
const DataLoader = require('dataloader');
const pino = require('pino');
const {
  graphql, GraphQLSchema, GraphQLObjectType, GraphQLList, GraphQLNonNull, GraphQLString, GraphQLInt, GraphQLID,
} = require('graphql');
const { httpContext, pinoMixin, getRequestContext } = require('../../lib/request');
const { logSink, withTestEndpoints, start } = require('./lib/common');

const USERS = 100;
const QUERY = `{ requestId users(count: ${USERS}) { id name email score manager { id name } } }`;
const logger = pino({ base: undefined, mixin: pinoMixin() }, logSink);

const tenantStorage = instances === 4 ? new AsyncLocalStorage() : null;
const loaderStorage = instances === 4 ? new AsyncLocalStorage() : null;

function traced(name, fn) {
  if (otel === null) return fn();
  return otel.tracer.startActiveSpan(name, async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}

function makeLoaders() {
  return {
    user: new DataLoader((ids) => traced('batch users', async () => {
      await Promise.resolve();
      return ids.map((id) => ({ id, name: `user${id}` }));
    })),
    score: new DataLoader((ids) => traced('batch scores', async () => {
      await Promise.resolve();
      return ids.map((id) => (Number(id) * 7) % 101);
    })),
  };
}

// With 4 instances the stores are read from their AsyncLocalStorage; the
// contextValue copy is only the fallback of the floor (no propagation).
const loadersOf = (ctx) => (loaderStorage === null ? ctx.loaders : loaderStorage.getStore() ?? ctx.loaders);
const tenantOf = (ctx) => (tenantStorage === null ? ctx.tenant : tenantStorage.getStore() ?? ctx.tenant);

const User = new GraphQLObjectType({
  name: 'User',
  fields: () => ({
    id: { type: new GraphQLNonNull(GraphQLID) },
    name: {
      type: new GraphQLNonNull(GraphQLString),
      async resolve(user) {
        await null;
        return `${user.name}#${getRequestContext()?.requestId}`;
      },
    },
    email: {
      type: new GraphQLNonNull(GraphQLString),
      async resolve(user, args, ctx) {
        await null;
        return `${user.name}@${tenantOf(ctx)?.domain}`;
      },
    },
    score: {
      type: new GraphQLNonNull(GraphQLInt),
      async resolve(user, args, ctx) {
        return loadersOf(ctx).score.load(user.id);
      },
    },
    manager: {
      type: User,
      async resolve(user, args, ctx) {
        return loadersOf(ctx).user.load(String((Number(user.id) + 1) % USERS));
      },
    },
  }),
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      requestId: {
        type: GraphQLString,
        async resolve() {
          await null;
          return getRequestContext()?.requestId;
        },
      },
      users: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(User))),
        args: { count: { type: new GraphQLNonNull(GraphQLInt) } },
        async resolve(root, { count }, ctx) {
          const ids = Array.from({ length: count }, (_, i) => String(i));
          return loadersOf(ctx).user.loadMany(ids);
        },
      },
    },
  }),
});

async function execute(tenant, loaders) {
  return traced('graphql', () => graphql({ schema, source: QUERY, contextValue: { tenant, loaders } }));
}

async function handler(req, res) {
  const tenant = { domain: 'example.test' };
  const loaders = makeLoaders();
  const result = tenantStorage === null
    ? await execute(tenant, loaders)
    : await tenantStorage.run(tenant, () => loaderStorage.run(loaders, () => execute(tenant, loaders)));
  logger.info({ expect: req.id, errors: result.errors?.length ?? 0 }, 'handled');
  if (otel !== null) otel.trim();
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(result));
}

start(http.createServer(withTestEndpoints(httpContext((req, res) => {
  handler(req, res).catch((err) => {
    res.statusCode = 500;
    res.end(String(err && err.stack));
  });
}), otel && otel.spans)));
