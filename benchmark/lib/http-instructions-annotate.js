#!/usr/bin/env node
'use strict';
// Where a request's instructions go: per-function SELF cost per request from
// two callgrind output files kept by `benchmark/http-instructions.js --keep`
// (the W run and the W + N run of the same cell), i.e.
// (self cost in W+N − self cost in W) / N, summed into coarse groups.
//
//   node benchmark/lib/http-instructions-annotate.js <requests N> <a.base.out> <a.full.out> [<b.base.out> <b.full.out>] [--top 25]
//   node benchmark/lib/http-instructions-annotate.js --dir <keep dir> <requests N> [--json file]
//
// --dir summarizes every kept run in a directory: total, V8-compiler and GC
// instructions per request, and the total without them (median over
// repeats). Compiler work is a warm-up cost V8 keeps paying for thousands of
// requests (tier-up of functions run once per request); without it the
// count is closer to what a long-running server executes per request.
//
// With two cells (e.g. built-in and ours) it prints both side by side and
// the difference. Self (exclusive) cost, not inclusive: callgrind's
// inclusive figures are meaningless through V8's recursive call builtins
// (Builtins_Call* show > 1000 % of the program). JS code compiled by V8 has
// no symbol under valgrind: it appears as `???:0x...` and lands in the
// "JIT-compiled JS" group whatever it does, so this tells C++/builtin work
// apart (GC, promise hooks in C++, HTTP parser, compiler) but not one JS
// function from another; for that, compare against `--impls none`.

const { execFileSync } = require('node:child_process');

const fs = require('node:fs');
const path = require('node:path');
const { median } = require('./stats');

const args = process.argv.slice(2);
let top = 25;
// --dir <keep dir> <N>: for every kept run, total, compiler and GC
// instructions per request; median over repeats; JSON with --json <file>.
const di = args.indexOf('--dir');
if (di >= 0) {
  const dir = args[di + 1];
  const nreq = Number(args[di + 2]);
  const ji = args.indexOf('--json');
  setImmediate(() => summarizeDir(dir, nreq, ji >= 0 ? args[ji + 1] : null));
}
const ti = args.indexOf('--top');
if (ti >= 0) { top = Number(args[ti + 1]); args.splice(ti, 2); }
const n = Number(args[0]);
const files = args.slice(1);
if (di < 0 && (!(n > 0) || (files.length !== 2 && files.length !== 4))) {
  console.error('usage: http-instructions-annotate.js <N> <a.base.out> <a.full.out> [<b.base.out> <b.full.out>] [--top 25]');
  process.exit(2);
}

// <file>.perf.map (V8's --perf-basic-prof map, kept by
// benchmark/stacks/run.js --perf-map): names JIT code by JS function.
// Code objects can be freed and their addresses reused, so the latest
// mapping that covers an address wins.
function perfMap(file) {
  const mapFile = `${file}.perf.map`;
  if (!fs.existsSync(mapFile)) return null;
  const entries = [];
  for (const line of fs.readFileSync(mapFile, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/.exec(line);
    if (m) entries.push({ start: parseInt(m[1], 16), end: parseInt(m[1], 16) + parseInt(m[2], 16), name: m[3] });
  }
  return (addr) => {
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i].start <= addr && addr < entries[i].end) return entries[i].name.replace(/^JS:[~^+*']?/, 'JS ');
    }
    return null;
  };
}

function selfCosts(file) {
  const lookup = perfMap(file);
  const out = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const costs = new Map();
  for (const line of out.split('\n')) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.+?)\s*$/.exec(line);
    if (!m || m[2] === 'PROGRAM TOTALS') continue;
    // Fold recursion levels (foo'2) and JIT addresses (one bucket).
    let name = m[2].replace(/'\d+(?= |$)/, '');
    const jit = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(name);
    if (jit) name = (lookup && lookup(parseInt(jit[1], 16))) || '??? JIT-compiled JS [???]';
    costs.set(name, (costs.get(name) || 0) + Number(m[1].replace(/,/g, '')));
  }
  return costs;
}

function perRequest(base, full, n) {
  const b = selfCosts(base);
  const f = selfCosts(full);
  const d = new Map();
  for (const k of new Set([...b.keys(), ...f.keys()])) d.set(k, ((f.get(k) || 0) - (b.get(k) || 0)) / n);
  return d;
}

const GROUPS = [
  ['JIT-compiled JS (optimized/baseline code, no symbols)', /JIT-compiled JS/],
  ['JIT-compiled JS, named from the perf map', /^JS /],
  ['promise hooks / async_hooks (C++ and builtins)', /PromiseHook|AsyncWrap|async_wrap|AsyncHooks|PromiseWrap|AsyncContext|async_context|EmitAsync|AsyncResource/i],
  ['garbage collection', /v8::internal::(Heap|Scavenger|Scaveng|MarkCompact|Mark|Sweep|Evacuat|Concurrent|MinorM|Memory|PagedSpace|NewSpace|SemiSpace|LargeObject|MemoryChunk|Page|GC|Slot|Remembered|Worklist|Marking|Incremental)|cppgc/],
  ['V8 compilers (Turbofan, Maglev, Sparkplug, parser)', /v8::internal::(compiler|maglev|baseline|Parser|Scanner|Compiler|Zone|interpreter::BytecodeGenerator|AstNode|Ast)|v8::internal::.*Compile/],
  ['interpreter and builtins (Builtins_*)', /Builtins_/],
  ['HTTP parser (llhttp)', /llhttp/],
  ['libuv / syscalls / libc', /uv_|uv__|libc\.so|ld-linux|libpthread|libstdc\+\+|vgpreload/],
  ['other V8 runtime (C++)', /v8::/],
  ['other node C++', /node::/],
];
function groupOf(name) {
  for (const [g, re] of GROUPS) if (re.test(name)) return g;
  return 'other';
}
function grouped(d) {
  const g = new Map();
  for (const [k, v] of d) g.set(groupOf(k), (g.get(groupOf(k)) || 0) + v);
  return g;
}

const fmt = (v) => Math.round(v).toLocaleString('en-US');
if (di < 0) pairs();
function pairs() {
const cells = [perRequest(files[0], files[1], n)];
if (files.length === 4) cells.push(perRequest(files[2], files[3], n));
const groups = cells.map(grouped);
const total = (d) => [...d.values()].reduce((a, b) => a + b, 0);
const names = [...GROUPS.map((g) => g[0]), 'other'];

console.log(`| group | ${cells.length === 2 ? 'A | B | A − B' : 'instructions/request'} |`);
console.log(`| --- | ${cells.length === 2 ? '---: | ---: | ---:' : '---:'} |`);
for (const g of names) {
  const v = groups.map((x) => x.get(g) || 0);
  console.log(`| ${g} | ${v.map(fmt).join(' | ')}${cells.length === 2 ? ` | ${fmt(v[0] - v[1])}` : ''} |`);
}
const t = cells.map(total);
console.log(`| total | ${t.map(fmt).join(' | ')}${cells.length === 2 ? ` | ${fmt(t[0] - t[1])}` : ''} |`);

console.log(`\nTop ${top} functions by self instructions/request${cells.length === 2 ? ' (by |A − B|)' : ''}:\n`);
const keys = new Set(cells.flatMap((c) => [...c.keys()]));
const rows = [...keys].map((k) => ({ k, v: cells.map((c) => c.get(k) || 0) }));
rows.sort((x, y) => (cells.length === 2 ? Math.abs(y.v[0] - y.v[1]) - Math.abs(x.v[0] - x.v[1]) : y.v[0] - x.v[0]));
for (const r of rows.slice(0, top)) {
  console.log(`${r.v.map((v) => fmt(v).padStart(10)).join(' ')}${cells.length === 2 ? ` ${fmt(r.v[0] - r.v[1]).padStart(10)}` : ''}  ${r.k.slice(0, 150)}`);
}
}


function summarizeDir(dir, nreq, jsonFile) {
  const COMPILER = 'V8 compilers (Turbofan, Maglev, Sparkplug, parser)';
  const GC = 'garbage collection';
  const cells = new Map();
  for (const f of fs.readdirSync(dir).sort()) {
    const m = /^callgrind\.(.+)\.r(\d+)\.base\.out$/.exec(f);
    if (!m || !fs.existsSync(path.join(dir, f.replace('.base.out', '.full.out')))) continue;
    const g = grouped(perRequest(path.join(dir, f), path.join(dir, f.replace('.base.out', '.full.out')), nreq));
    const total = [...g.values()].reduce((a, b) => a + b, 0);
    const r = { total, compiler: g.get(COMPILER) || 0, gc: g.get(GC) || 0 };
    r.exCompiler = total - r.compiler;
    r.exCompilerGc = total - r.compiler - r.gc;
    if (!cells.has(m[1])) cells.set(m[1], []);
    cells.get(m[1]).push(r);
  }
  const out = [];
  console.log('| cell (config.framework.impl.instances) | runs | total | V8 compilers | GC | total − compilers | total − compilers − GC |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [cell, runs] of cells) {
    const med = (k) => median(runs.map((r) => r[k]));
    const row = { cell, runs, total: med('total'), compiler: med('compiler'), gc: med('gc'), exCompiler: med('exCompiler'), exCompilerGc: med('exCompilerGc') };
    out.push(row);
    const rng = (k) => (runs.length > 1 ? ` (${fmt(Math.min(...runs.map((r) => r[k])))}–${fmt(Math.max(...runs.map((r) => r[k])))})` : '');
    console.log(`| ${cell} | ${runs.length} | ${fmt(row.total)}${rng('total')} | ${fmt(row.compiler)} | ${fmt(row.gc)} | ${fmt(row.exCompiler)}${rng('exCompiler')} | ${fmt(row.exCompilerGc)}${rng('exCompilerGc')} |`);
  }
  if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify(out, null, 2));
}
