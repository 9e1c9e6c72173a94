'use strict';
// What every stack server shares: where log lines go, how it reports its
// port, when it exits, and the test-only endpoints of the fidelity checks.
//
// Environment:
//   FAH_HTTP_EXIT_AFTER=<n>  exit (code 0) once the n-th response is on the
//                            socket (benchmark/lib/callgrind-server.js)
//   FAH_STACK_TEST=1         keep log lines (and OpenTelemetry spans) for
//                            GET /__logs and GET /__spans
//   FAH_DOWNSTREAM_PORT      the local downstream's port (127.0.0.1)
// The server prints one JSON line { port, pid } on stdout once listening.

const { exitAfterResponses } = require('../../lib/exit-after');

const MAX_LIFETIME_MS = 30 * 60 * 1000;
const testing = process.env.FAH_STACK_TEST === '1';
const lines = [];

// pino destination: a no-op when benchmarking (serialisation is still done
// on every line), kept in memory for the fidelity checks.
const logSink = { write(line) { if (testing) lines.push(line); } };

// Test endpoints: returns true when it answered the request.
function testEndpoint(req, res, spans) {
  if (!testing) return false;
  let body;
  if (req.url === '/__logs') body = lines.splice(0).map((l) => JSON.parse(l));
  else if (req.url === '/__spans') body = spans ? spans() : [];
  else return false;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
  return true;
}

// Wraps a request listener: test endpoints first, then the app.
function withTestEndpoints(listener, spans) {
  return function stackListener(req, res) {
    if (testEndpoint(req, res, spans)) return;
    listener(req, res);
  };
}

// Listens on 127.0.0.1, port 0.
function start(server) {
  server.keepAliveTimeout = 60000;
  exitAfterResponses(server);
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port, pid: process.pid })}\n`);
  });
  setTimeout(() => process.exit(0), MAX_LIFETIME_MS).unref();
}

function downstreamPort() {
  const port = Number(process.env.FAH_DOWNSTREAM_PORT);
  if (!(port > 0)) throw new Error('FAH_DOWNSTREAM_PORT is not set');
  return port;
}

module.exports = { logSink, withTestEndpoints, start, downstreamPort, testing };
