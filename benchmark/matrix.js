#!/usr/bin/env node
'use strict';
// Runs benchmark/micro.js (and benchmark/http.js with --http) on every Node
// configuration the project supports, then writes
// benchmark/results/<date>-matrix.json and .md (one markdown table per case).
//
//   node benchmark/matrix.js [--http] [--quick] [--rounds n] [--only <regex>]
//        [--configs 20,22,22-frame,24,24-noframe,26,26-noframe]
//        [--http-duration s] [--http-rounds n] [--out <basename>]

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { resolveMajors } = require('../scripts/node-majors');
const { microMatrixTables, httpMatrixTables } = require('./lib/report');

const CONFIGS = [
  { id: '20', major: 20, flags: [] },
  { id: '22', major: 22, flags: [] },
  { id: '22-frame', major: 22, flags: ['--experimental-async-context-frame'] },
  { id: '24', major: 24, flags: [] },
  { id: '24-noframe', major: 24, flags: ['--no-async-context-frame'] },
  { id: '26', major: 26, flags: [] },
  { id: '26-noframe', major: 26, flags: ['--no-async-context-frame'] },
];

const o = { http: false, quick: false, rounds: null, only: null, configs: null, httpDuration: 5, httpRounds: 3, out: null, skipMicro: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--http') o.http = true;
  else if (a === '--http-only') { o.http = true; o.skipMicro = true; }
  else if (a === '--quick') o.quick = true;
  else if (a === '--only') o.only = argv[++i];
  else if (a === '--rounds') o.rounds = Number(argv[++i]);
  else if (a === '--configs') o.configs = argv[++i].split(',');
  else if (a === '--http-duration') o.httpDuration = Number(argv[++i]);
  else if (a === '--http-rounds') o.httpRounds = Number(argv[++i]);
  else if (a === '--out') o.out = argv[++i];
  else if (a === '--help' || a === '-h') {
    console.log('usage: node benchmark/matrix.js [--http | --http-only] [--quick] [--rounds n] [--only <regex>] [--configs 20,22,22-frame,24,24-noframe,26,26-noframe] [--http-duration s] [--http-rounds n] [--out <basename>]');
    process.exit(0);
  } else throw new Error(`unknown argument ${a}`);
}

const configs = o.configs ? CONFIGS.filter((c) => o.configs.includes(c.id)) : CONFIGS;
const bins = resolveMajors({ installMissing: false });
const resultsDir = path.join(__dirname, 'results');
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-bench-'));
const base = o.out || `${new Date().toISOString().slice(0, 10)}-matrix`;
const started = new Date();

const micro = [];
const httpRuns = [];
const failures = [];

function runJson(bin, flags, script, args, label) {
  const file = path.join(tmpDir, `${label.replace(/[^a-z0-9]+/gi, '_')}-${path.basename(script, '.js')}.json`);
  const t0 = Date.now();
  const r = spawnSync(bin, [...flags, path.join(__dirname, script), ...args, '--json', file], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (r.status !== 0 || !fs.existsSync(file)) {
    failures.push(`${label} ${script}: exit ${r.status}`);
    return null;
  }
  console.error(`  (${label} ${script}: ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

for (const c of configs) {
  const label = `node ${c.major}${c.flags.length ? ' ' + c.flags.join(' ') : ''}`;
  console.log(`\n=== ${label} (load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}) ===`);
  if (!o.skipMicro) {
    const args = ['--quiet'];
    if (o.quick) args.push('--quick');
    if (o.only) args.push('--only', o.only);
    if (o.rounds) args.push('--rounds', String(o.rounds));
    const res = runJson(bins[c.major], c.flags, 'micro.js', args, label);
    if (res) micro.push(res);
  }
  if (o.http) {
    const res = runJson(bins[c.major], c.flags, 'http.js',
      ['--quiet', '--duration', String(o.httpDuration), '--rounds', String(o.httpRounds)], label);
    if (res) httpRuns.push(res);
  }
}

const gitRev = (() => {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
})();

const combined = {
  tool: 'benchmark/matrix.js',
  started: started.toISOString(),
  finished: new Date().toISOString(),
  gitRev,
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0] && os.cpus()[0].model, platform: `${process.platform}-${process.arch}` },
  options: o,
  failures,
  micro,
  http: httpRuns,
};

const cmd = `node benchmark/matrix.js${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`;
const oursIsBuiltin = micro.some((r) => r.oursIsBuiltin);
const md = [
  `### Benchmark matrix, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  `\`${cmd}\` at ${gitRev || 'unknown commit'}; ${combined.machine.cpus} × ${combined.machine.cpuModel || 'cpu'} (${combined.machine.platform}), shared with other work while it ran, so read ratios rather than absolute numbers.`,
  `Every number is a median over interleaved rounds, each implementation in its own process (see benchmark/README.md). Ratios > 1 mean ours is faster (or smaller).`,
  ...(oursIsBuiltin ? ['', '**Note:** in at least one configuration fast-async-hooks still exported the built-in AsyncLocalStorage, so "ours" measured the built-in.'] : []),
  ...(failures.length ? ['', `**Failed runs:** ${failures.join('; ')}`] : []),
  '',
  micro.length ? microMatrixTables(micro) : '',
  '',
  httpRuns.length ? httpMatrixTables(httpRuns) : '',
  '',
].join('\n');

let outBase = path.isAbsolute(base) ? base : path.join(resultsDir, base);
// Never overwrite an earlier run of the same day: add the start time.
if (!o.out && fs.existsSync(`${outBase}.json`)) {
  outBase = path.join(resultsDir, `${started.toISOString().slice(0, 10)}-${started.toISOString().slice(11, 16).replace(':', '')}-matrix`);
}
fs.mkdirSync(path.dirname(outBase), { recursive: true });
fs.writeFileSync(`${outBase}.json`, `${JSON.stringify(combined, null, 2)}\n`);
fs.writeFileSync(`${outBase}.md`, md);
console.log(`\n${md}`);
console.log(`wrote ${path.relative(process.cwd(), outBase)}.json and .md`);
fs.rmSync(tmpDir, { recursive: true, force: true });
process.exit(failures.length ? 1 : 0);
