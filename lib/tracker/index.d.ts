// Types of the resource tracker (lib/tracker).

export interface TrackResourcesOptions {
  /** Track PROMISE resources too (default false; promise hooks run either way once any hook is on). */
  promises?: boolean;
  /** Capture `new Error().stack` for every resource at init (costly; default false). */
  captureStacks?: boolean;
  /** Names the context a resource is created in (default: `getRequestContext()?.requestId`). */
  contextId?: () => string | undefined | null;
  /** Records buffered in JS before one native drain (default 4096). */
  bufferSize?: number;
  /** Timeline ring size in events (default 100000; 0 keeps no timeline). */
  maxEvents?: number;
  /** Finished requests whose summaries are kept (default 1000). */
  maxRequests?: number;
  /** Mark a request ended when node:http publishes `http.server.response.finish` for it (default true). */
  endOnResponseFinish?: boolean;
}

/**
 * Who owns a resource beyond the request it was created in: a socket's
 * timeout timer or a socket an http.Agent pools ("connection"), the HTTP
 * Date-header cache timer ("server"). Undefined: the request's own.
 */
export type ResourceOwner = 'connection' | 'server';

export interface TrackedResource {
  asyncId: number;
  type: string;
  triggerAsyncId: number;
  requestId?: string;
  owner?: ResourceOwner;
  /** performance.now() at init, ms. */
  createdAt: number;
  ageMs: number;
  callbacks: number;
  callbackMs: number;
  /** performance.now() at promiseResolve (promises only). */
  resolvedAt?: number;
  /** With captureStacks. */
  stack?: string;
}

export interface AncestryLink {
  asyncId: number;
  type: string;
  triggerAsyncId: number;
  requestId?: string;
  /** false: destroyed, known from the timeline ring. */
  alive: boolean;
}

export interface RequestSummary {
  requestId: string;
  /** Resources created in the request. */
  created: number;
  /** Of those, still alive. */
  alive: number;
  callbacks: number;
  callbackMs: number;
  firstSeenAt: number;
  endedAt?: number;
  ended: boolean;
}

export interface LeakReportOptions {
  /** Only resources at least this old (ms, default 0). */
  olderThanMs?: number;
  /** Also resources of requests still running (default false). */
  includeOpen?: boolean;
  /** Also resources a connection or the server owns (default false). */
  includeOwned?: boolean;
}

export interface LeakEntry {
  asyncId: number;
  type: string;
  triggerAsyncId: number;
  requestId: string;
  /** Only with `includeOwned`. */
  owner?: ResourceOwner;
  ageMs: number;
  /** ms since the request ended (undefined with includeOpen for running requests). */
  endedMsAgo?: number;
  callbacks: number;
  stack?: string;
}

export interface TrackerStats {
  /** Live resources in the native map. */
  live: number;
  /** Bytes the native map holds (containers + stacks). */
  liveBytes: number;
  contexts: number;
  events: number;
  maxEvents: number;
  droppedEvents: number;
  records: number;
  batches: number;
  /** Records for resources the map does not know (created before tracking, or untracked promises). */
  untracked: number;
  requestIds: number;
  types: number;
  bufferRecords: number;
}

export interface WriteTimelineResult {
  path: string;
  bytes: number;
  events: number;
}

export interface ResourceTracker {
  stop(): void;
  readonly stopped: boolean;
  endRequest(requestId?: string): boolean;
  activeResources(filter?: { requestId?: string; type?: string }): TrackedResource[];
  ancestry(asyncId?: number): AncestryLink[];
  requestSummary(requestId: string): RequestSummary | undefined;
  leakReport(options?: LeakReportOptions): LeakEntry[];
  writeTimeline(path: string, options?: { onProgress?: (bytesWritten: number) => void }): Promise<WriteTimelineResult>;
  /** Blocking variant for 'exit' handlers only. */
  writeTimelineSync(path: string): WriteTimelineResult;
  stats(): TrackerStats;
}

/** Needs the native binary: without one for this platform, throws an Error with code ERR_FAST_ASYNC_HOOKS_NO_BINARY. */
export function trackResources(options?: TrackResourcesOptions): ResourceTracker;
