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
// What a socket's timeout timer looks like on the running Node is found
// once, by value, on two throwaway sockets: on 24.x/26 its callback is one
// shared function; on 20/22 a fresh bound function per socket, told apart
// from the Date cache's callback by its name.

const net = require('node:net');

const OWNER_CONNECTION = 1;
const OWNER_SERVER = 2;

let streamTimeout;

function discoverStreamTimeout() {
  if (streamTimeout !== undefined) return streamTimeout;
  const ms = 0x3fff_fff7; // any duration no other timer on the socket has
  const callbacks = [new net.Socket(), new net.Socket()].map((socket) => {
    socket.setTimeout(ms);
    let callback;
    for (const key of Object.getOwnPropertySymbols(socket)) {
      const value = socket[key];
      if (value !== null && typeof value === 'object' && value._idleTimeout === ms) callback = value._onTimeout;
    }
    socket.setTimeout(0);
    socket.destroy();
    return callback;
  });
  const [a, b] = callbacks;
  streamTimeout = {
    shared: typeof a === 'function' && a === b ? a : undefined,
    name: typeof a === 'function' && a !== b ? a.name : undefined,
  };
  return streamTimeout;
}

/** Owner of a Timeout at its init: 0 (its request), OWNER_CONNECTION or OWNER_SERVER. */
function timerOwner(timer, stream) {
  if (typeof timer.hasRef !== 'function' || timer.hasRef() || timer._repeat !== null) return 0;
  const callback = timer._onTimeout;
  if (callback === stream.shared) return OWNER_CONNECTION;
  if (timer._timerArgs !== undefined) return 0; // timers/promises setTimeout({ ref: false })
  if (stream.name !== undefined && typeof callback === 'function' && callback.name === stream.name) return OWNER_CONNECTION;
  return OWNER_SERVER; // setUnrefTimeout's other caller: the HTTP Date-header cache
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
 * Owner of a socket resource created in a request, or undefined while its
 * socket is not wired up yet. http.Agent installs an 'agentRemove' listener
 * (the documented way to take a socket out of an agent) on every socket it
 * creates, synchronously after creating it. A pooled socket the agent hands
 * to a new request gets a new async id (asyncResetHandle), whose resource
 * is a ReusedHandle { type, handle } rather than the handle itself.
 */
function socketOwner(resource) {
  let socket = socketOf(resource);
  if (socket === undefined && resource.handle !== null && typeof resource.handle === 'object') socket = socketOf(resource.handle);
  if (socket === undefined) return undefined;
  return socket.listenerCount('agentRemove') > 0 ? OWNER_CONNECTION : 0;
}

module.exports = { discoverStreamTimeout, timerOwner, socketOwner, OWNER_CONNECTION, OWNER_SERVER };
