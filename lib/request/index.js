'use strict';
// Request context kit: per-request ids and W3C trace context for Express,
// Koa, Fastify and node:http, logging integrations and outgoing propagation.

const context = require('./context');
const propagation = require('./propagation');
const { httpContext } = require('./http');
const { expressContext } = require('./express');
const { koaContext } = require('./koa');
const { fastifyContext, fastifyGenReqId, fastifyServerFactory } = require('./fastify');
const { pinoMixin } = require('./logging/pino');
const { winstonFormat } = require('./logging/winston');
const { patchConsole } = require('./logging/console');

module.exports = {
  getRequestContext: context.getRequestContext,
  RequestContext: context.RequestContext,
  runWithRequestContext: context.runWithRequestContext,
  createRequestContext: context.createRequestContext,
  withoutPropagation: context.withoutPropagation,
  expressContext,
  koaContext,
  fastifyContext,
  fastifyGenReqId,
  fastifyServerFactory,
  httpContext,
  pinoMixin,
  winstonFormat,
  patchConsole,
  enableOutgoingPropagation: propagation.enableOutgoingPropagation,
  disableOutgoingPropagation: propagation.disableOutgoingPropagation,
  isOutgoingPropagationEnabled: propagation.isOutgoingPropagationEnabled,
  getOutgoingHeaders: propagation.getOutgoingHeaders,
  outgoingPropagationSupport: propagation.outgoingPropagationSupport,
};
