'use strict';
// Resources Node creates while a request runs but owns beyond it: they
// belong to the connection or to the server, not to the request.
//
// From Node's own sources (20, 22, 24, 26):
// - A Timeout created unref'd is Node-internal: public setTimeout and
//   setInterval create referenced timers (unref() comes after init);
//   setUnrefTimeout() and, on 24.x/26, reuseOrCreateUnrefTimeout() create
//   unref'd ones. Their callers are a stream's timeout (net/tls sockets,
//   setStreamTimeout: the keep-alive timer the HTTP server re-arms on every
//   response, an agent's idle timeout, req/socket.setTimeout) and the HTTP
//   Date-header cache (internal/http). timers/promises with { ref: false }
//   also creates unref'd timers, but with timer arguments (setTimeout) or a
//   repeat (setInterval): those stay the request's.
// - A socket (TCPWRAP/TLSWRAP/PIPEWRAP) that an http.Agent manages is the
//   agent's pool's: the agent keeps it open for later requests or closes it.
//
// A socket's timeout is told apart without creating anything (a throwaway
// socket's timer would give Node's timer functions a second shape to
// handle: callgrind, Node 20, +600 instructions per later setTimeout/
// clearTimeout pair in a process that had no socket timeouts):
// - 20/22: setUnrefTimeout(this._onTimeout.bind(this)); a bound function is
//   named 'bound ' + its target's name, here net.Socket.prototype's.
// - 24.x/26: reuseOrCreateUnrefTimeout(timer, onStreamTimeout, ms, socket),
//   one shared callback and the socket as the timer's argument. The first
//   such timer is confirmed at the next drain (the socket holds it), and its
//   callback is then recognised at init.

const net = require('node:net');

const OWNER_CONNECTION = 1;
const OWNER_SERVER = 2;
/** timerOwner(): decided at the next drain by heldTimerOwner(). */
const OWNER_PENDING = -1;

const BOUND_SOCKET_TIMEOUT = `bound ${net.Socket.prototype._onTimeout?.name ?? ''}`;
let sharedStreamCallback;

/** Owner of a Timeout at its init: 0 (its request), OWNER_CONNECTION, OWNER_SERVER or OWNER_PENDING. */
function timerOwner(timer) {
  if (typeof timer.hasRef !== 'function' || timer.hasRef() || timer._repeat !== null) return 0;
  const callback = timer._onTimeout;
  if (callback === sharedStreamCallback) return OWNER_CONNECTION;
  const args = timer._timerArgs;
  if (args === undefined) {
    // setUnrefTimeout: a stream's timeout, or the HTTP Date-header cache.
    return typeof callback === 'function' && callback.name === BOUND_SOCKET_TIMEOUT ? OWNER_CONNECTION : OWNER_SERVER;
  }
  // reuseOrCreateUnrefTimeout's [stream], or timers/promises' [value].
  return args.length === 1 && args[0] !== null && typeof args[0] === 'object' ? OWNER_PENDING : 0;
}

/** For an OWNER_PENDING timer: the connection's when its argument holds it; undefined: not (yet). */
function heldTimerOwner(timer) {
  const stream = timer._timerArgs?.[0];
  if (stream === null || typeof stream !== 'object') return 0;
  for (const key of Object.getOwnPropertySymbols(stream)) {
    if (stream[key] === timer) {
      sharedStreamCallback = timer._onTimeout;
      return OWNER_CONNECTION;
    }
  }
  return undefined;
}

// The socket a handle belongs to (Node keeps it under an internal symbol,
// found by value).
let ownerKey;
function socketOf(handle) {
  if (ownerKey !== undefined && handle[ownerKey] instanceof net.Socket) return handle[ownerKey];
  for (const key of Object.getOwnPropertySymbols(handle)) {
    if (handle[key] instanceof net.Socket) {
      ownerKey = key;
      return handle[key];
    }
  }
  return undefined;
}

/**
 * OWNER_CONNECTION for a socket resource an agent manages; undefined: not
 * (yet: the drain may come before the agent wired it). http.Agent installs
 * an 'agentRemove' listener (the documented way to take a socket out of an
 * agent) on every socket it creates, synchronously after creating it. A
 * pooled socket the agent hands to a new request gets a new async id
 * (asyncResetHandle), whose resource is a ReusedHandle { type, handle }
 * rather than the handle itself.
 */
function socketOwner(resource) {
  let socket = socketOf(resource);
  if (socket === undefined && resource.handle !== null && typeof resource.handle === 'object') socket = socketOf(resource.handle);
  return socket !== undefined && socket.listenerCount('agentRemove') > 0 ? OWNER_CONNECTION : undefined;
}

module.exports = { timerOwner, heldTimerOwner, socketOwner, OWNER_CONNECTION, OWNER_SERVER, OWNER_PENDING };
