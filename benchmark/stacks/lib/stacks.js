'use strict';
// The stacks, their sides and how to start one: shared by the driver
// (benchmark/stacks/run.js) and the fidelity test (__test__/stacks.test.js).

const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..', '..');
const DIR = path.join(__dirname, '..');

// check(body, id): throws unless the response body belongs to request `id`.
function expectId(field) {
  return (body, id) => {
    if (id === undefined) return;
    if (body[field] !== id) throw new Error(`expected ${field} ${id}, got ${JSON.stringify(body).slice(0, 300)}`);
  };
}

const STACKS = {
  express: {
    script: 'express-otel.js', args: [], downstream: true, instances: 2,
    label: 'Express 5 + OpenTelemetry + kit + pino',
    check(body, id) {
      if (id === undefined) return;
      expectId('id')(body, id);
      if (body.downstream !== id) throw new Error(`downstream saw ${body.downstream}, expected ${id}`);
      if (!/^[0-9a-f]{32}$/.test(body.traceId)) throw new Error(`no trace id in ${JSON.stringify(body)}`);
    },
  },
  fastify: {
    script: 'fastify.js', args: [], instances: 2,
    label: 'Fastify 5 + @fastify/request-context + kit',
    check(body, id) {
      if (id === undefined) return;
      expectId('id')(body, id);
      if (body.user !== `user-of-${id}`) throw new Error(`user ${body.user}, expected user-of-${id}`);
    },
  },
  graphql: {
    script: 'graphql.js', args: ['4'], instances: 4,
    label: 'GraphQL (graphql-js + DataLoader, 500 async fields) + OpenTelemetry + kit, 4 instances',
    check: checkGraphql, checkFloor: true,
  },
  'graphql-1': {
    script: 'graphql.js', args: ['1'], instances: 1,
    label: 'GraphQL, kit only (1 instance)',
    check: checkGraphql, checkFloor: true,
  },
  koa: {
    script: 'koa.js', args: [], instances: 1,
    label: 'Koa + kit + pino',
    check: expectId('id'),
  },
};

// id null: the floor, whose answers carry no request id but must be whole.
function checkGraphql(body, id) {
  if (body.errors) throw new Error(`graphql errors: ${JSON.stringify(body.errors).slice(0, 300)}`);
  if (body.data.users.length !== 100) throw new Error(`${body.data.users.length} users`);
  if (id === null) return;
  if (body.data.requestId !== id) throw new Error(`requestId ${body.data.requestId}, expected ${id}`);
  for (const u of body.data.users) {
    if (u.name !== `user${u.id}#${id}` || u.manager.name !== `user${u.manager.id}#${id}`) {
      throw new Error(`user ${JSON.stringify(u)} does not carry request id ${id}`);
    }
  }
}

// Sides: the preload that picks every AsyncLocalStorage in the process.
const SIDES = {
  builtin: ['-r', path.join(__dirname, 'preload-builtin.js')],
  ours: ['-r', path.join(ROOT, 'register.js')],
  floor: ['-r', path.join(__dirname, 'preload-floor.js')],
};

// node arguments for a stack on a side: [...nodeFlags, -r preload, script, ...args]
function serverArgs(stack, side, nodeFlags = []) {
  const s = STACKS[stack];
  if (!s) throw new Error(`unknown stack ${stack}`);
  if (!SIDES[side]) throw new Error(`unknown side ${side}`);
  return [...nodeFlags, ...SIDES[side], path.join(DIR, s.script), ...s.args];
}

// Starts a server outside valgrind (the fidelity test); resolves
// { port, child, stop() } once it listens.
function startServer(node, stack, side, nodeFlags, env) {
  const child = spawn(node, serverArgs(stack, side, nodeFlags), {
    env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      const { port } = JSON.parse(stdout.slice(0, nl));
      resolve({ port, child, stop: () => child.kill('SIGKILL') });
    });
    child.on('exit', (code) => reject(new Error(`${stack}/${side} exited with ${code}: ${stderr.slice(-2000)}`)));
  });
}

module.exports = { STACKS, SIDES, serverArgs, startServer, ROOT };
