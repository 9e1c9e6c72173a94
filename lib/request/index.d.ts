// Types for the request context kit (lib/request). Referenced from the
// package's index.d.ts.

import type { IncomingMessage, ServerResponse, Server as HttpServer, RequestListener } from 'node:http';

/** The context of one request (or job). User fields are added alongside. */
export interface RequestContextData {
  /** Incoming X-Request-Id when valid and trusted, else a new UUID v7 (or your generator's id). */
  readonly requestId: string;
  /** 32 lowercase hex: the incoming trace when its traceparent is valid and trusted, else a new one. */
  readonly traceId: string;
  /** 16 lowercase hex: this request's own span id (sent back in the response traceparent). */
  readonly spanId: string;
  /** The caller's span id (parent-id of the incoming traceparent), or null for a new trace. */
  readonly parentSpanId: string | null;
  /** Bit 0 of traceFlags. */
  readonly sampled: boolean;
  /** Two lowercase hex digits ('01' sampled, '00' not). */
  readonly traceFlags: string;
  /** Normalized incoming tracestate (kept only next to a valid traceparent), or null. */
  readonly traceState: string | null;
  /** Date.now() when the context was created. */
  readonly startTime: number;
  [field: string]: unknown;
}

export interface RequestIdValidation {
  /** Longest accepted incoming id (default 128). */
  maxLength?: number;
  /** Accepted incoming ids (default /^[A-Za-z0-9._:-]+$/). */
  pattern?: RegExp;
}

export interface RequestContextOptions {
  /** Header carrying the request id, in and out (default 'X-Request-Id'; read case-insensitively, sent as spelled here). */
  requestIdHeader?: string;
  /**
   * true (default): a valid incoming request id / traceparent is used.
   * false: both are ignored; every request gets a new id and a new trace
   * (for services facing untrusted clients).
   * { requestId, traceparent }: decide for each (omitted ones default to true).
   */
  trustIncoming?: boolean | { requestId?: boolean; traceparent?: boolean };
  /** Custom id generator; an invalid result falls back to a UUID v7. */
  generateRequestId?: (req?: IncomingMessage) => string;
  /** Set X-Request-Id and traceparent (with our span id) on responses (default true). */
  responseHeaders?: boolean;
  /** Extra fields copied onto the context; built-in field names are ignored. */
  fields?: (req: IncomingMessage) => Record<string, unknown> | undefined | null;
  requestIdValidation?: RequestIdValidation;
  /** Sampled flag for new traces (default true). */
  sampled?: boolean;
  /** Turn on outgoing propagation when this middleware is created (default true, unless disabled explicitly). */
  outgoingPropagation?: boolean;
}

export interface CreateRequestContextOptions extends Omit<RequestContextOptions, 'fields'> {
  /** Incoming headers (as node:http delivers them, lower-case names). */
  headers?: Record<string, string | string[] | undefined>;
  /** Passed to `fields` and `generateRequestId`. */
  req?: IncomingMessage;
  fields?: Record<string, unknown> | ((req?: IncomingMessage) => Record<string, unknown> | undefined | null);
}

export function createRequestContext(options?: CreateRequestContextOptions): RequestContextData;
export function runWithRequestContext<R, A extends unknown[]>(
  contextOrOptions: RequestContextData | CreateRequestContextOptions,
  fn: (...args: A) => R,
  ...args: A
): R;
export function getRequestContext(): RequestContextData | undefined;
/** Runs fn with outgoing propagation off for every call made inside it. */
export function withoutPropagation<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R;

export const RequestContext: {
  get(key: string | symbol): unknown;
  /** Sets a user field on the current request; false outside a request. Built-in names throw. */
  set(key: string | symbol, value: unknown): boolean;
  readonly current: RequestContextData | undefined;
  readonly requestId: string | undefined;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
};

/** Express middleware; mount first. Sets req.id. */
export function expressContext(options?: RequestContextOptions):
  (req: IncomingMessage & { id?: string }, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Koa middleware; mount first. Sets ctx.state.requestId and ctx.state.requestContext. */
export function koaContext(options?: RequestContextOptions): (ctx: any, next: () => Promise<unknown>) => Promise<unknown>;

export interface FastifyContextOptions extends RequestContextOptions {
  /** Install fastifyGenReqId with fastify.setGenReqId so request.id === requestId (default true). */
  setRequestId?: boolean;
}
/** Fastify plugin (skip-override): `fastify.register(fastifyContext, options)`. */
export function fastifyContext(fastify: any, options: FastifyContextOptions | undefined, done: (err?: Error) => void): void;
/** A Fastify genReqId that builds the request context and returns its requestId. */
export function fastifyGenReqId(options?: RequestContextOptions): (req: IncomingMessage) => string;
/** A Fastify serverFactory running Fastify itself inside the context (HTTP/1 and HTTPS). */
export function fastifyServerFactory(options?: RequestContextOptions):
  (handler: RequestListener, fastifyOptions?: Record<string, unknown>) => HttpServer;

/** Wraps a node:http request listener. Sets req.id. */
export function httpContext<L extends (req: IncomingMessage, res: ServerResponse) => unknown>(
  handler: L, options?: RequestContextOptions): (req: IncomingMessage, res: ServerResponse) => unknown;

export interface RequestLogFields {
  trace_id: string;
  span_id: string;
  trace_flags: string;
  request_id: string;
}
/** For pino's `mixin` option: OpenTelemetry field names inside a request, {} outside. */
export function pinoMixin(): (mergeObject?: object, level?: number, logger?: object) => RequestLogFields | Record<string, never>;
/** A winston format adding trace_id, span_id, trace_flags, request_id. */
export function winstonFormat(): { transform(info: any): any; options: object };

export interface PatchConsoleOptions {
  /** Prefix for lines logged inside a request (default `[trace_id request_id]`). */
  format?: (context: RequestContextData) => string;
  /** Console to patch (default the global console). */
  console?: Console;
}
/** Opt-in: prefixes console.log/info/warn/error/debug inside requests. Returns an idempotent unpatch(). */
export function patchConsole(options?: PatchConsoleOptions): () => void;

export interface OutgoingSpan {
  kind: 'http' | 'fetch' | 'manual';
  traceId: string;
  /** The new client span id sent in traceparent. */
  spanId: string;
  /** The request's span id (parent of the client span). */
  parentSpanId: string;
  requestId: string;
  request: unknown;
}
export interface OutgoingPropagationOptions {
  /** false: same as disableOutgoingPropagation() (default true). */
  enabled?: boolean;
  /** Header for the request id (default: the middleware's requestIdHeader). */
  requestIdHeader?: string;
  /** Also send the request id (default true). */
  propagateRequestId?: boolean;
  /** Called for every outgoing call that got a traceparent. */
  onOutgoing?: (span: OutgoingSpan) => void;
}
export interface OutgoingPropagationSupport {
  /** node:http(s) clients (needs 'http.client.request.created': Node >= 22.12). */
  readonly http: boolean;
  /** fetch ('undici:request:create'). */
  readonly fetch: boolean;
  readonly channels: readonly string[];
}
export function enableOutgoingPropagation(options?: OutgoingPropagationOptions): OutgoingPropagationSupport;
export function disableOutgoingPropagation(): void;
export function isOutgoingPropagationEnabled(): boolean;
/** traceparent (new span), tracestate and request id headers for one outgoing call; {} outside a request. */
export function getOutgoingHeaders(): Record<string, string>;
export const outgoingPropagationSupport: OutgoingPropagationSupport;
