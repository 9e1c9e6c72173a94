#!/usr/bin/env node
'use strict';
// `npm run bench:stacks`: server instructions per request of real
// application stacks (benchmark/stacks/*.js) under valgrind's callgrind,
// built-in vs ours (-r register.js) vs the floor, on every configured Node.
// Method: benchmark/README.md, "Real application stacks"; counting machinery:
// benchmark/lib/callgrind-server.js (ctl mode, as http-instructions.js).
//
//   node benchmark/stacks/run.js [--quick] [--configs 22,24,...] [--stacks express,fastify,graphql,graphql-1,koa]
//        [--sides builtin,ours,floor] [--warmup W] [--requests N] [--repeat n] [--keep dir [--perf-map]] [--out basename]
//   node benchmark/stacks/run.js --out <basename> [--quick] --render <a.json> [b.json ...]
//
// --quick: one configuration (22 unless --configs), fewer requests (see
// QUICK), one repeat. Results: benchmark/results/<out>.{md,json}, rewritten
// after every cell so a partial run keeps what it measured. --perf-map
// (with --keep): attribution runs, node with --perf-basic-prof and V8's code
// map kept beside each callgrind file, for
// `node benchmark/lib/http-instructions-annotate.js N a.base.out a.full.out b.base.out b.full.out`
// to name JS functions (their counts include the map writes: not for tables).

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { resolveMajors } = require('../../scripts/node-majors');
const CONFIGS = require('../lib/node-configs');
const { createCounter, get } = require('../lib/callgrind-server');
const { median } = require('../lib/stats');
const { STACKS, serverArgs } = require('./lib/stacks');
const { startDownstream } = require('./lib/downstream');

// Per stack: uninstrumented warm-up requests and counted requests. A
// GraphQL query is ~5-15 M instructions (~30x an HTTP stack's request), so
// it gets fewer of both; its count still covers >1 G instructions.
const FULL = { http: { warmup: 2000, requests: 3000 }, graphql: { warmup: 400, requests: 300 } };
// --quick fits a configuration into ~1 h of a shared 2-core machine: its
// counts are single and hold ~1 scavenge each, so read them to ±5 % (Koa)
// or ±2 % (Express, GraphQL); the full sizes are the ones to publish.
const QUICK = { http: { warmup: 600, requests: 400 }, graphql: { warmup: 150, requests: 40 } };

const opts = {
  configs: null, stacks: ['graphql', 'express', 'koa', 'fastify', 'graphql-1'], sides: ['builtin', 'ours', 'floor'],
  warmup: null, requests: null, repeat: null, keep: null, out: null, quick: false, perfMap: false,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--configs') opts.configs = argv[++i].split(',');
  else if (a === '--stacks') opts.stacks = argv[++i].split(',');
  else if (a === '--sides') opts.sides = argv[++i].split(',');
  else if (a === '--warmup') opts.warmup = Number(argv[++i]);
  else if (a === '--requests') opts.requests = Number(argv[++i]);
  else if (a === '--repeat') opts.repeat = Number(argv[++i]);
  else if (a === '--keep') opts.keep = argv[++i];
  else if (a === '--out') opts.out = argv[++i];
  else if (a === '--quick') opts.quick = true;
  else if (a === '--perf-map') opts.perfMap = true;
  else if (a === '--render') opts.render = argv.slice(++i), i = argv.length;
  else if (a === '--help' || a === '-h') {
    console.log('usage: node benchmark/stacks/run.js [--quick] [--configs 22,24,...] [--stacks express,fastify,graphql,graphql-1,koa] [--sides builtin,ours,floor] [--warmup W] [--requests N] [--repeat n] [--keep dir] [--out basename]');
    process.exit(0);
  } else throw new Error(`unknown argument ${a}`);
}
opts.configs ??= opts.quick ? ['22'] : Object.keys(CONFIGS);
opts.repeat ??= opts.quick ? 1 : 3;
for (const id of opts.configs) if (!CONFIGS[id]) throw new Error(`unknown configuration ${id}`);
for (const s of opts.stacks) if (!STACKS[s]) throw new Error(`unknown stack ${s}`);
for (const s of opts.sides) if (!['builtin', 'ours', 'floor'].includes(s)) throw new Error(`unknown side ${s}`);
if (opts.perfMap && !opts.keep) throw new Error('--perf-map needs --keep <dir>');
if (!(opts.repeat >= 1 && opts.repeat <= 5)) throw new Error('--repeat must be 1..5');
if (!opts.render && spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not on PATH (apt-get install valgrind)');
  process.exit(1);
}

const day = new Date().toISOString().slice(0, 10);
const outBase = path.isAbsolute(opts.out ?? '') ? opts.out
  : path.join(__dirname, '..', 'results', opts.out ?? `${day}-stacks${opts.quick ? '-quick' : ''}-${opts.configs.join('_')}`);
const bins = resolveMajors({ installMissing: false });

function sizes(stack) {
  const base = (opts.quick ? QUICK : FULL)[stack.startsWith('graphql') ? 'graphql' : 'http'];
  return { warmup: opts.warmup ?? base.warmup, requests: opts.requests ?? base.requests };
}

function server(node, flags, stack, side, env) {
  const def = STACKS[stack];
  return {
    node,
    args: serverArgs(stack, side, flags),
    env,
    label: `${stack} ${side}`,
    perfMap: opts.perfMap,
    async request(agent, port, i) {
      const id = `r${i}`;
      const r = await get(agent, port, '/', { 'x-request-id': id });
      if (r.status !== 200) throw new Error(`${stack}/${side}: request ${id} got ${r.status} ${r.body.slice(0, 500)}`);
      // The floor propagates no context: its responses carry no request id.
      if (side !== 'floor') def.check(JSON.parse(r.body), id);
      else if (def.checkFloor) def.check(JSON.parse(r.body), null);
    },
  };
}

const fmt = (v) => (v == null ? '–' : Math.round(v).toLocaleString('en-US'));
function cell(samples) {
  if (!samples || samples.length === 0) return '–';
  const v = samples.map((s) => s.perRequest);
  const m = median(v);
  if (v.length < 2) return fmt(m);
  return `${fmt(m)} (±${((Math.max(...v) - Math.min(...v)) / 2 / m * 100).toFixed(1)}%, n=${v.length})`;
}

function render(rows) {
  const head = ['stack', 'node', 'warm-up / counted', 'built-in', 'ours', 'built-in/ours', 'floor', 'overhead built-in', 'overhead ours', 'overhead ours/built-in'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i < 3 ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) {
    const ob = r.builtin != null && r.floor != null ? r.builtin - r.floor : null;
    const oo = r.ours != null && r.floor != null ? r.ours - r.floor : null;
    lines.push(`| ${[r.stack, r.node, `${r.warmup} / ${r.requests}`, cell(r.builtinSamples), cell(r.oursSamples),
      r.builtin != null && r.ours != null ? `${(r.builtin / r.ours).toFixed(3)}×` : '–', cell(r.floorSamples),
      ob == null ? '–' : `${fmt(ob)} (${(ob / r.builtin * 100).toFixed(1)}%)`,
      oo == null ? '–' : `${fmt(oo)} (${(oo / r.ours * 100).toFixed(1)}%)`,
      ob != null && oo != null && ob > 0 ? (oo / ob).toFixed(2) : '–'].join(' | ')} |`);
  }
  return [
    `Server instructions per request of real application stacks (callgrind, benchmark/stacks/run.js${opts.quick ? ' --quick' : ''}; ` +
    `uninstrumented warm-up, then (counted − 0 requests) / counted; sequential keep-alive requests; a cell is one count, or the median of n repeats ± half their range). ` +
    'built-in/ours > 1: ours executes fewer. Floor: same app, no context propagation ' +
    '(promise-hook Nodes: plus an enabled empty init hook). Overhead = side − floor (% of that side\'s request).',
    '',
    lines.join('\n'),
    '',
    ...rows.map((r) => `- ${r.stack}: ${STACKS[r.stack].label}`).filter((v, i, a) => a.indexOf(v) === i),
    '',
  ].join('\n');
}

// Counters in use: their valgrind children are killed on exit or a signal.
const counters = new Set();
process.on('exit', () => { for (const c of counters) c.cleanup(); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

async function main() {
  const started = Date.now();
  if (opts.keep) fs.mkdirSync(opts.keep, { recursive: true });
  const rows = [];
  const save = () => {
    fs.writeFileSync(`${outBase}.json`, JSON.stringify(rows, null, 2));
    fs.writeFileSync(`${outBase}.md`, render(rows));
  };
  for (const id of opts.configs) {
    const { major, flags } = CONFIGS[id];
    const node = bins[major];
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    for (const stack of opts.stacks) {
      const size = sizes(stack);
      const counter = createCounter({ mode: 'ctl', ...size });
      counters.add(counter);
      const downstream = STACKS[stack].downstream ? await startDownstream() : null;
      const env = downstream ? { FAH_DOWNSTREAM_PORT: String(downstream.port) } : {};
      const row = { config: id, node: `${version}${flags.length ? ` ${flags.join(' ')}` : ''}`, stack, ...size };
      for (const side of opts.sides) row[`${side}Samples`] = [];
      rows.push(row);
      try {
        for (let r = 0; r < opts.repeat; r++) {
          const order = r % 2 ? [...opts.sides].reverse() : opts.sides;
          for (const side of order) {
            const keepAs = opts.keep ? path.join(opts.keep, `callgrind.${id}.${stack}.${side}.r${r + 1}`) : null;
            const s = await counter.perRequest(server(node, flags, stack, side, env), keepAs);
            row[`${side}Samples`].push(s);
            row[side] = median(row[`${side}Samples`].map((x) => x.perRequest));
            save();
            console.error(`  ${id} ${stack} ${side} #${r + 1}: ${s.perRequest.toFixed(0)} instr/request (${((Date.now() - started) / 60000).toFixed(1)} min)`);
          }
        }
      } catch (err) {
        // One failing stack must not lose the others' counts.
        row.error = String(err && err.message).slice(0, 500);
        console.error(`  ${id} ${stack} FAILED: ${err && err.stack}`);
        save();
      } finally {
        counter.cleanup();
        counters.delete(counter);
        if (downstream) downstream.close();
      }
    }
  }
  save();
  console.log(render(rows));
  console.error(`wrote ${outBase}.md and .json`);
}

// --render a.json b.json ...: one table from several runs' JSON files
// (e.g. one per configuration), written to --out. Runs of a cell (config
// and stack) at the same sizes are repeats and pool their samples; a cell
// counted at several sizes shows only its largest (most requests counted).
function renderFiles(files) {
  const cells = new Map();
  for (const r of files.flatMap((f) => JSON.parse(fs.readFileSync(f, 'utf8')))) {
    if (!r.builtinSamples?.length || !r.oursSamples?.length) continue; // a run cut short
    const key = `${r.config} ${r.stack}`;
    const have = cells.get(key);
    if (have === undefined || r.requests > have.requests) {
      cells.set(key, { ...r });
    } else if (r.requests === have.requests && r.warmup === have.warmup) {
      for (const side of ['builtin', 'ours', 'floor']) {
        const samples = [...(have[`${side}Samples`] ?? []), ...(r[`${side}Samples`] ?? [])];
        if (samples.length === 0) continue;
        have[`${side}Samples`] = samples;
        have[side] = median(samples.map((x) => x.perRequest));
      }
    }
  }
  const stackOrder = Object.keys(STACKS);
  const configOrder = Object.keys(CONFIGS);
  const rows = [...cells.values()].sort((a, b) => stackOrder.indexOf(a.stack) - stackOrder.indexOf(b.stack) ||
    configOrder.indexOf(a.config) - configOrder.indexOf(b.config));
  fs.writeFileSync(`${outBase}.md`, `${render(rows)}\nFrom: ${files.map((f) => path.basename(f)).join(', ')}\n`);
  fs.writeFileSync(`${outBase}.json`, JSON.stringify(rows, null, 2));
  console.error(`wrote ${outBase}.md and .json`);
}

(opts.render ? Promise.resolve().then(() => renderFiles(opts.render)) : main()).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
