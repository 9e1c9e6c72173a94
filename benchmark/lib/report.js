'use strict';
// Markdown rendering shared by micro.js, http.js and matrix.js.

const { fmtNum, fmtRatio, markdownTable } = require('./stats');

function cell(c, k) {
  if (!c.impls.includes(k)) return '–';
  const v = c.median[k];
  if (v == null) return '–';
  return fmtNum(v) + (c.unit === 'bytes' ? ' B' : '');
}

// One micro run: one row per case.
function microTable(res) {
  const header = ['case', 'no-ALS', 'built-in', 'ours', 'cls-hooked', 'built-in/ours', 'cls-hooked/ours', 'ours ÷ no-ALS'];
  const rows = res.cases.map((c) => [c.title, cell(c, 'none'), cell(c, 'builtin'), cell(c, 'ours'), cell(c, 'cls'),
    fmtRatio(c.builtinOverOurs), fmtRatio(c.clsOverOurs), fmtRatio(c.oursOverNone)]);
  return markdownTable(header, rows);
}

function configLabel(res) {
  return `${res.node}${res.flags && res.flags.length ? ' ' + res.flags.join(' ') : ''}`;
}

// Several micro runs (one per Node configuration): one table per case,
// one row per configuration.
function microMatrixTables(runs) {
  const out = [];
  const ids = [];
  for (const r of runs) for (const c of r.cases) if (!ids.includes(c.id)) ids.push(c.id);
  for (const id of ids) {
    const first = runs.map((r) => r.cases.find((c) => c.id === id)).find(Boolean);
    const unit = first.unit === 'bytes' ? 'bytes per context' : 'ns/op';
    const header = ['node', 'no-ALS', 'built-in', 'ours', 'cls-hooked', 'built-in/ours', 'cls-hooked/ours', 'ours ÷ no-ALS'];
    const rows = [];
    for (const r of runs) {
      const c = r.cases.find((x) => x.id === id);
      if (!c) continue;
      rows.push([configLabel(r), cell(c, 'none'), cell(c, 'builtin'), cell(c, 'ours'), cell(c, 'cls'),
        fmtRatio(c.builtinOverOurs), fmtRatio(c.clsOverOurs), fmtRatio(c.oursOverNone)]);
    }
    out.push(`#### ${first.title} (${unit}, median)\n\n${markdownTable(header, rows)}`);
  }
  return out.join('\n\n');
}

// Several http runs: one table per server (framework x instances), one row
// per configuration.
function httpMatrixTables(runs) {
  const keys = [];
  for (const r of runs) for (const g of r.groups) {
    const k = `${g.framework}|${g.instances}`;
    if (!keys.includes(k)) keys.push(k);
  }
  const out = [];
  for (const k of keys) {
    const [framework, n] = k.split('|');
    const header = ['node', 'built-in req/s', 'ours req/s', 'cls-hooked req/s', 'register req/s', 'ours/built-in', 'ours/cls-hooked', 'register/built-in',
      'CPU µs/req built-in', 'ours', 'cls-hooked', 'register', 'built-in/ours CPU', 'errors'];
    const rows = [];
    for (const r of runs) {
      const g = r.groups.find((x) => `${x.framework}|${x.instances}` === k);
      if (!g) continue;
      const v = (i) => (g.median[i] == null ? '–' : fmtNum(g.median[i]));
      const errors = Object.values(g.errors).reduce((a, b) => a + b, 0);
      const c = (i) => (g.cpuMedian && g.cpuMedian[i] != null ? fmtNum(g.cpuMedian[i]) : '–');
      rows.push([configLabel(r), v('builtin'), v('ours'), v('cls'), v('register'),
        fmtRatio(g.oursOverBuiltin), fmtRatio(g.oursOverCls), fmtRatio(g.registerOverBuiltin),
        c('builtin'), c('ours'), c('cls'), c('register'), fmtRatio(g.cpuBuiltinOverOurs), String(errors)]);
    }
    const first = runs.find((r) => r.options);
    const o = first ? first.options : {};
    out.push(`#### HTTP: ${framework}, ${n} instance${n === '1' ? '' : 's'} (req/s and server-process CPU µs per request, medians of ${o.rounds} × ${o.duration} s, ${o.connections} connections)\n\n${markdownTable(header, rows)}`);
  }
  return out.join('\n\n');
}

module.exports = { microTable, microMatrixTables, httpMatrixTables, configLabel };
