'use strict';
// The seven Node configurations the benchmarks measure, by the ids their
// --configs options take: a major and the flags that pick its mechanism.

module.exports = {
  20: { major: 20, flags: [] },
  22: { major: 22, flags: [] },
  '22-frame': { major: 22, flags: ['--experimental-async-context-frame'] },
  24: { major: 24, flags: [] },
  '24-noframe': { major: 24, flags: ['--no-async-context-frame'] },
  26: { major: 26, flags: [] },
  '26-noframe': { major: 26, flags: ['--no-async-context-frame'] },
};
