'use strict';
// Propagation through native I/O: streams, fs, fs.promises, net, http.
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { PassThrough, Readable, Writable, finished, pipeline } = require('node:stream');
const streamPromises = require('node:stream/promises');
const { h, scenario } = require('../harness');

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-conf-io-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));

scenario('streams: data/end listeners, finished, pipeline', async (r) => {
  const als = new h.AsyncLocalStorage();
  const pass = als.run('created', () => new PassThrough());
  const chunks = [];
  als.run('listener', () => pass.on('data', (c) => chunks.push([String(c), als.getStore()])));
  const done = new Promise((resolve) => als.run('finished-caller', () => finished(pass, (err) => {
    r.log('finished cb', [err ?? null, als.getStore()]);
    resolve();
  })));
  als.run('writer', () => { pass.write('a'); pass.end('b'); });
  await done;
  r.log('chunks', chunks);
  await new Promise((resolve) => als.run('pipeline-caller', () => pipeline(
    Readable.from(['x', 'y']),
    new Writable({ write(c, e, cb) { r.log('sink write', [String(c), als.getStore()]); cb(); } }),
    (err) => { r.log('pipeline cb', [err ?? null, als.getStore()]); resolve(); },
  )));
  await als.run('promises', async () => {
    await streamPromises.pipeline(Readable.from(['z']), new PassThrough().resume());
    r.log('stream/promises pipeline', als.getStore());
  });
  const src = als.run('readable-created', () => new Readable({ read() {} }));
  const errSeen = new Promise((resolve) => src.on('error', (e) => resolve([e.message, als.getStore()])));
  als.run('destroyer', () => src.destroy(new Error('destroyed')));
  r.log('error listener', await errSeen);
});

scenario('fs callbacks and fs.promises', async (r) => {
  const als = new h.AsyncLocalStorage();
  const file = path.join(TMP, 'a.txt');
  await new Promise((resolve) => als.run('writeFile', () => fs.writeFile(file, 'hello', (err) => {
    r.log('writeFile cb', [err ?? null, als.getStore()]);
    als.run('readFile', () => fs.readFile(file, 'utf8', (err2, data) => {
      r.log('readFile cb', [err2 ?? null, data, als.getStore()]);
      resolve();
    }));
  })));
  await new Promise((resolve) => als.run('stat-missing', () => fs.stat(path.join(TMP, 'missing'), (err) => {
    r.log('stat error cb', [err.code, als.getStore()]);
    resolve();
  })));
  r.log('fs.promises', await als.run('fsp', async () => {
    const data = await fsp.readFile(file, 'utf8');
    const fh = await fsp.open(file, 'r');
    const st = await fh.stat();
    await fh.close();
    return [data, st.size, als.getStore()];
  }));
  r.log('fs.promises rejection', await als.run('fsp-err', () => fsp.readFile(path.join(TMP, 'nope')).catch((e) => [e.code, als.getStore()])));
  const rs = als.run('readStream', () => fs.createReadStream(file));
  r.log('createReadStream', await new Promise((resolve) => {
    let data = '';
    rs.on('data', (c) => { data += c; });
    rs.on('close', () => resolve([data, als.getStore()]));
  }));
  await new Promise((resolve) => als.run('watcher-free', () => fs.access(file, () => {
    r.log('access cb', als.getStore());
    resolve();
  })));
});

scenario('net: server and client callbacks on 127.0.0.1', async (r) => {
  const als = new h.AsyncLocalStorage();
  const log = [];
  const server = als.run('server-created', () => net.createServer((sock) => {
    log.push(['connection', als.getStore()]);
    sock.on('data', (d) => {
      log.push(['server data', als.getStore()]);
      als.run('server-reply', () => sock.end(`echo:${d}`));
    });
  }));
  await new Promise((resolve) => als.run('listen', () => server.listen(0, '127.0.0.1', () => {
    log.push(['listening', als.getStore()]);
    resolve();
  })));
  const { port } = server.address();
  const reply = await new Promise((resolve, reject) => als.run('client', () => {
    const c = net.connect(port, '127.0.0.1', () => {
      log.push(['client connect', als.getStore()]);
      c.write('hi');
    });
    let got = '';
    c.on('data', (d) => { got += d; });
    c.on('end', () => { log.push(['client end', als.getStore()]); resolve(got); });
    c.on('error', reject);
  }));
  await new Promise((resolve) => als.run('close', () => server.close(() => {
    log.push(['server closed', als.getStore()]);
    resolve();
  })));
  r.log('reply', reply);
  // Server and client callbacks interleave as the kernel delivers events.
  for (const [label, v] of log.sort((a, b) => a[0].localeCompare(b[0]))) r.log(label, v);
});

scenario('http: server handler, client response, keep request contexts apart', async (r) => {
  const als = new h.AsyncLocalStorage();
  const seen = [];
  const server = als.run('server-created', () => http.createServer((req, res) => {
    const before = als.getStore();
    als.run(`req ${req.url}`, async () => {
      await new Promise((resolve) => setTimeout(resolve, req.url === '/slow' ? 5 : 1));
      seen.push([req.url, before, als.getStore()]);
      req.resume();
      req.on('end', () => res.end(`${req.url}:${als.getStore()}`));
    });
  }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const get = (p) => als.run(`client ${p}`, () => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      const atResponse = als.getStore();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve([res.statusCode, body, atResponse, als.getStore()]));
    }).on('error', reject);
  }));
  const results = await Promise.all([get('/slow'), get('/fast'), get('/other')]);
  await new Promise((resolve) => server.close(resolve));
  r.log('client results', results);
  r.log('server saw', seen.sort((a, b) => a[0].localeCompare(b[0])));
  r.log('after', als.getStore());
});

scenario('http: request error and server error callbacks', async (r) => {
  const als = new h.AsyncLocalStorage();
  const server = http.createServer((req, res) => res.end());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  r.log('ECONNREFUSED', await new Promise((resolve) => als.run('req-err', () => {
    http.get({ host: '127.0.0.1', port, agent: false }).on('error', (e) => resolve([e.code, als.getStore()]));
  })));
  const s2 = als.run('s2', () => net.createServer());
  const busy = net.createServer();
  await new Promise((resolve) => busy.listen(0, '127.0.0.1', resolve));
  r.log('EADDRINUSE', await new Promise((resolve) => {
    s2.on('error', (e) => resolve([e.code, als.getStore()]));
    als.run('listen-busy', () => s2.listen(busy.address().port, '127.0.0.1'));
  }));
  await new Promise((resolve) => busy.close(resolve));
});
