'use strict';
// The local downstream service the Express stack calls over HTTP. It runs in
// the driver's process (benchmark/stacks/run.js, the fidelity test), not in
// the server under callgrind, so only the app server's instructions are
// counted. It answers with the request id and traceparent it received.

const http = require('node:http');

function startDownstream() {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: req.headers['x-request-id'] ?? null, traceparent: req.headers.traceparent ?? null }));
  });
  server.keepAliveTimeout = 60000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      port: server.address().port,
      close: () => { server.closeAllConnections(); server.close(); },
    }));
  });
}

module.exports = { startDownstream };
