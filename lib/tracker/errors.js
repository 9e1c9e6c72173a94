'use strict';
// Moved to lib/errors.js (one module for the package's Node-style errors).
module.exports = require('../errors');
