'use strict';
// Server side of benchmark/lib/callgrind-server.js: with FAH_HTTP_EXIT_AFTER=<n>
// in the environment, exit (code 0) as soon as the n-th response has been
// handed to the socket, so an instruction count covers exactly n requests
// plus start-up and exit.

function exitAfterResponses(server) {
  const exitAfter = Number(process.env.FAH_HTTP_EXIT_AFTER) || 0;
  if (exitAfter <= 0) return;
  let finished = 0;
  server.on('request', (req, res) => {
    res.once('finish', () => {
      if (++finished === exitAfter) process.exit(0);
    });
  });
}

module.exports = { exitAfterResponses };
