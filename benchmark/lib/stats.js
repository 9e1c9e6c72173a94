'use strict';

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function ratio(a, b) {
  if (a == null || b == null || b === 0) return null;
  return a / b;
}

function fmtNum(x, digits) {
  if (x == null) return '–';
  if (digits != null) return x.toFixed(digits);
  if (x >= 1000) return Math.round(x).toLocaleString('en-US');
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function fmtRatio(x) {
  return x == null ? '–' : `${x.toFixed(2)}×`;
}

// Renders rows (arrays of strings) as a markdown table.
function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

module.exports = { median, ratio, fmtNum, fmtRatio, markdownTable };
