// The attacks in-process Stork cannot stop, each run twice: first straight
// at one Stork process (the figures show why the edge exists; they are
// reported, not asserted), then through nginx, where each must be refused
// or absorbed while another client's request is answered within 1 s, and
// no process's memory grows past the bound below.
//
//   slowloris         300 connections trickling header lines
//   huge header       one 200 MiB header line
//   ranges            2,000 ranges on a widget asset, 8 clients at once
//   chunked body      a POST with Transfer-Encoding: chunked
//   desync            a refused POST whose body hides a login (issue: request
//                     desync), at body offsets 100 and 4,200
//   GET with a body   whose body hides a second request
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startCluster, request, requestCount, memoryWatch, rssMiB, sleep } from './lib/cluster.js';

// Through the edge no Stork process may grow by more than this during an
// attack, and no nginx process by more than NGINX_BOUND_MIB.
const STORK_BOUND_MIB = 16;
const NGINX_BOUND_MIB = 32;

let cluster;
const figures = [];

before(async () => {
  cluster = await startCluster();
});

after(async () => {
  const lines = ['| attack | target | outcome | other client, slowest | memory growth (MiB) |', '|---|---|---|---|---|'];
  for (const f of figures) {
    const mem = f.memory.filter((m) => m.growth >= 0.5).map((m) => `${m.name} +${m.growth.toFixed(1)}`).join(', ') || 'none over 0.5';
    lines.push(`| ${f.attack} | ${f.target} | ${f.outcome} | ${f.probe} | ${mem} |`);
  }
  const table = lines.join('\n');
  console.log('\n' + table + '\n');
  if (process.env.STORK_EDGE_REPORT) writeFileSync(process.env.STORK_EDGE_REPORT, table + '\n');
  if (cluster) {
    const stopped = await cluster.stop();
    assert.deepEqual(stopped.left, [], 'nothing left running');
  }
});

// ---------------------------------------------------------------- plumbing

function connect(target, { localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const opts = { host: '127.0.0.1', port: target.edge ? cluster.edgePort : cluster.storkPort(1), localAddress };
    const socket = target.edge
      ? tls.connect({ ...opts, servername: 'localhost', ca: cluster.ca, ALPNProtocols: ['http/1.1'] }, () => resolve(socket))
      : net.connect(opts, () => resolve(socket));
    socket.once('error', reject);
  });
}

function hostOf(target) {
  return target.edge ? `localhost:${cluster.edgePort}` : `127.0.0.1:${cluster.storkPort(1)}`;
}

// Writes `payload` in one go, then collects what comes back for `ms`.
async function exchange(target, payload, ms = 1500) {
  const socket = await connect(target);
  let received = Buffer.alloc(0);
  let closed = false;
  socket.on('data', (d) => { received = Buffer.concat([received, d]); });
  socket.on('error', () => {});
  socket.on('close', () => { closed = true; });
  socket.write(payload);
  const until = Date.now() + ms;
  while (!closed && Date.now() < until) await sleep(25);
  socket.destroy();
  const text = received.toString('latin1');
  const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
  return { text, statuses, sessionCookie: /set-cookie: *(__Host-)?stork_(p)?sid=[^;]{8,}/i.test(text) };
}

// Another client (another address, another process: curl) asks for
// /healthz every 200 ms while an attack runs; answers the slowest time, or
// the failures. A separate process, so the attacker's own work in this one
// does not count in the figure.
function curlOnce(target) {
  const url = target.edge ? `https://localhost:${cluster.edgePort}/healthz` : `http://127.0.0.1:${cluster.storkPort(1)}/healthz`;
  const args = ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '--max-time', '3', '--interface', '127.0.0.2', url];
  if (target.edge) args.push('--resolve', `localhost:${cluster.edgePort}:127.0.0.1`, '--cacert', path.join(cluster.clusterDir, 'tls/cert.pem'));
  return new Promise((resolve) => {
    execFile('curl', args, (err, stdout) => {
      const [code, seconds] = String(stdout).trim().split(' ');
      if (code === '200') resolve({ ms: Number(seconds) * 1000 });
      else resolve({ failure: code === '000' || !code ? 'no answer in 3 s' : 'status ' + code });
    });
  });
}

function probe(target) {
  let running = true;
  const times = [];
  const failures = [];
  const loop = (async () => {
    while (running) {
      const r = await curlOnce(target);
      if (r.failure) failures.push(r.failure);
      else times.push(r.ms);
      await sleep(200);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const slowest = times.length ? Math.max(...times) : Infinity;
      return { slowest, failures, answered: times.length,
        text: failures.length ? `${failures.length} of ${failures.length + times.length} failed (${failures[0]})`
          : `${slowest.toFixed(0)} ms (${times.length} requests)` };
    },
  };
}

// Runs attack(target) with the probe and the memory watch around it.
async function measure(name, target, attack) {
  await waitHealthy();
  await settle();
  const memory = memoryWatch(cluster.processes());
  const p = probe(target);
  let outcome;
  let probed;
  let mem;
  try {
    outcome = await attack(target);
  } finally {
    probed = await p.stop();
    mem = memory.stop();
  }
  const figure = { attack: name, target: target.edge ? 'edge' : 'Stork direct', outcome: outcome.text, probe: probed.text, memory: mem };
  figures.push(figure);
  return { outcome, probed, mem };
}

// Until no process's memory moves by 1 MiB in half a second (a direct
// attack may leave Stork busy with answers nobody reads any more).
async function settle() {
  let last = cluster.processes().map((p) => rssMiB(p.pid));
  for (let k = 0; k < 40; k++) {
    await sleep(500);
    const now = cluster.processes().map((p) => rssMiB(p.pid));
    if (now.every((v, i) => Math.abs(v - last[i]) < 1)) return;
    last = now;
  }
}

async function waitHealthy() {
  for (let k = 0; k < 100; k++) {
    try {
      const res = await request(cluster, { edge: false, port: cluster.storkPort(1), path: '/healthz', timeout: 1000 });
      if (res.status === 200) return;
    } catch { /* still busy */ }
    await sleep(200);
  }
  throw new Error('stork-1 did not recover');
}

function assertAbsorbed({ probed, mem }) {
  assert.deepEqual(probed.failures, [], 'the other client was always answered');
  assert.ok(probed.slowest < 1000, `the other client was answered within 1 s (slowest ${probed.slowest} ms)`);
  for (const m of mem) {
    const bound = m.name.startsWith('stork') ? STORK_BOUND_MIB : NGINX_BOUND_MIB;
    assert.ok(m.growth < bound, `${m.name} grew by ${m.growth.toFixed(1)} MiB (bound ${bound} MiB)`);
  }
}

const DIRECT = { edge: false };
const EDGE = { edge: true };

// ---------------------------------------------------------------- attacks

async function slowloris(target, { connections = 300, seconds }) {
  const sockets = [];
  let closedByServer = 0;
  let lastClose = 0;
  const started = Date.now();
  const open = async () => {
    try {
      const s = await connect(target);
      s.on('error', () => {});
      s.on('close', () => { if (!s.stork_ours) { closedByServer++; lastClose = Date.now() - started; } });
      s.write(`GET /healthz HTTP/1.1\r\nHost: ${hostOf(target)}\r\n`);
      sockets.push(s);
    } catch {
      closedByServer++;
    }
  };
  for (let k = 0; k < connections; k += 30) await Promise.all(Array.from({ length: 30 }, open));
  for (let t = 0; t < seconds; t++) {
    await sleep(1000);
    for (const s of sockets) if (!s.destroyed) s.write(`X-Slow-${t}: ${t}\r\n`);
  }
  const stillOpen = sockets.filter((s) => !s.destroyed).length;
  for (const s of sockets) { s.stork_ours = true; s.destroy(); }
  return { open: stillOpen, closedByServer,
    text: `${stillOpen} of ${connections} still open after ${seconds} s` +
      (closedByServer ? `; ${closedByServer} closed by the server (last at ${(lastClose / 1000).toFixed(1)} s)` : '') };
}

async function hugeHeader(target, { mib = 200, seconds = 30 } = {}) {
  const socket = await connect(target);
  let response = '';
  let closed = false;
  socket.on('data', (d) => { response += d.toString('latin1'); });
  socket.on('error', () => {});
  socket.on('close', () => { closed = true; });
  socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostOf(target)}\r\nX-Big: `);
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  let sent = 0;
  const until = Date.now() + seconds * 1000;
  while (sent < mib && !closed && Date.now() < until) {
    const flushed = socket.write(chunk);
    sent++;
    if (!flushed) {
      await new Promise((resolve) => {
        const done = () => { socket.off('drain', done); socket.off('close', done); resolve(); };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }
  if (!closed) socket.write('\r\n\r\n');
  for (let k = 0; k < 40 && !closed && !response; k++) await sleep(100);
  socket.destroy();
  const status = (/HTTP\/1\.[01] (\d{3})/.exec(response) || [])[1] || 'none';
  return { sent, status, text: `${sent} MiB written before ${closed ? 'the server closed' : 'the end'}; answer ${status}` };
}

async function ranges(target, { clients = 8 } = {}) {
  const range = 'bytes=' + Array(2000).fill('0-').join(',');
  const results = await Promise.all(Array.from({ length: clients }, async () => {
    const socket = await connect(target);
    let bytes = 0;
    let head = '';
    socket.on('error', () => {});
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      socket.on('data', (d) => {
        if (head.length < 200) head += d.toString('latin1', 0, Math.min(d.length, 200));
        bytes += d.length;
        if (bytes > 100 * 1024 * 1024) socket.destroy();
      });
      socket.on('close', () => { clearTimeout(timer); resolve(); });
      socket.write(`GET /assets/widget.js HTTP/1.1\r\nHost: ${hostOf(target)}\r\nRange: ${range}\r\nConnection: close\r\n\r\n`);
    });
    socket.destroy();
    return { bytes, status: (/HTTP\/1\.[01] (\d{3})/.exec(head) || [])[1] || 'none' };
  }));
  const most = Math.max(...results.map((r) => r.bytes));
  return { results, most, text: `answers ${[...new Set(results.map((r) => r.status))].join('/')}, ` +
    `largest ${(most / 1024).toFixed(0)} KiB (${clients} clients)` };
}

function loginRequest(target, extra = '') {
  const body = JSON.stringify({ username: cluster.env.DEMO_USER, password: cluster.env.DEMO_PASSWORD });
  return `POST /api/login HTTP/1.1\r\nHost: ${hostOf(target)}\r\nOrigin: ${cluster.origin}\r\n` +
    `Sec-Fetch-Site: same-origin\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
}

async function loginsSoFar() {
  return (await requestCount(cluster, 1, /route="api_login",status="200"/)) +
    (await requestCount(cluster, 2, /route="api_login",status="200"/));
}

// The chunk's data is a whole login request: a server that refuses the
// chunked request without consuming the chunks would parse it as the next
// request on the connection.
async function chunked(target) {
  const hidden = loginRequest(target);
  const before = await loginsSoFar();
  const r = await exchange(target,
    `POST /api/logout HTTP/1.1\r\nHost: ${hostOf(target)}\r\nOrigin: ${cluster.origin}\r\nContent-Type: application/json\r\n` +
    `Transfer-Encoding: chunked\r\n\r\n${hidden.length.toString(16)}\r\n${hidden}\r\n0\r\n\r\n`);
  const logins = (await loginsSoFar()) - before;
  return { ...r, logins, text: `answers [${r.statuses.join(', ')}]; hidden login ${r.sessionCookie ? 'ANSWERED with a session cookie' : 'not answered'}; logins made: ${logins}` };
}

async function desync(target, offset) {
  const hidden = loginRequest(target);
  const body = ' '.repeat(offset) + hidden;
  const before = await loginsSoFar();
  const r = await exchange(target,
    `POST /api/logout HTTP/1.1\r\nHost: ${hostOf(target)}\r\nOrigin: http://evil.example\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 2000);
  const logins = (await loginsSoFar()) - before;
  return { ...r, logins, text: `answers [${r.statuses.join(', ')}]; hidden login ${r.sessionCookie ? 'ANSWERED with a session cookie' : 'not answered'}; logins made: ${logins}` };
}

async function getWithBody(target) {
  const hidden = `GET /api/me HTTP/1.1\r\nHost: ${hostOf(target)}\r\n\r\n`;
  const r = await exchange(target,
    `GET /healthz HTTP/1.1\r\nHost: ${hostOf(target)}\r\nContent-Length: ${hidden.length}\r\n\r\n${hidden}`);
  return { ...r, text: `answers [${r.statuses.join(', ')}]` };
}

// ---------------------------------------------------------------- tests

test('slowloris: 300 connections trickling headers', async () => {
  await measure('slowloris, 300 connections', DIRECT, (t) => slowloris(t, { seconds: 6 }));
  const { outcome, ...rest } = await measure('slowloris, 300 connections', EDGE, (t) => slowloris(t, { seconds: 12 }));
  assertAbsorbed(rest);
  assert.equal(outcome.open, 0, 'nginx closed every trickling connection (client_header_timeout)');
});

test('one 200 MiB header line', async () => {
  await measure('200 MiB header line', DIRECT, (t) => hugeHeader(t));
  const { outcome, ...rest } = await measure('200 MiB header line', EDGE, (t) => hugeHeader(t));
  assertAbsorbed(rest);
  assert.ok(outcome.sent < 16, `nginx cut the connection early (${outcome.sent} MiB written)`);
  assert.ok(['431', '400', 'none'].includes(outcome.status), 'refused: ' + outcome.status);
});

test('2,000 ranges on a widget asset', async () => {
  await measure('2,000 ranges x 8 clients', DIRECT, (t) => ranges(t));
  const { outcome, ...rest } = await measure('2,000 ranges x 8 clients', EDGE, (t) => ranges(t));
  assertAbsorbed(rest);
  assert.ok(outcome.most < 64 * 1024, `at most the whole file once (${outcome.most} bytes)`);
  assert.ok(outcome.results.every((r) => r.status === '200'), 'the whole file instead of 2,000 parts');
});

test('a chunked request body', async () => {
  await measure('chunked body hiding a login', DIRECT, (t) => chunked(t));
  const { outcome, ...rest } = await measure('chunked body hiding a login', EDGE, (t) => chunked(t));
  assertAbsorbed(rest);
  assert.deepEqual(outcome.statuses, [411], 'refused at the edge, and nothing else answered');
  assert.equal(outcome.logins, 0, 'the hidden login never ran');
});

for (const offset of [100, 4200]) {
  test(`desync: a refused POST whose body hides a login at offset ${offset}`, async () => {
    await measure(`desync, login hidden at ${offset}`, DIRECT, (t) => desync(t, offset));
    const { outcome, ...rest } = await measure(`desync, login hidden at ${offset}`, EDGE, (t) => desync(t, offset));
    assertAbsorbed(rest);
    assert.deepEqual(outcome.statuses, [403], 'one answer, the CSRF refusal');
    assert.equal(outcome.sessionCookie, false, 'no session cookie came back');
    assert.equal(outcome.logins, 0, 'the hidden login never ran');
  });
}

test('a GET with a body hiding a second request', async () => {
  await measure('GET with a body', DIRECT, (t) => getWithBody(t));
  const { outcome, ...rest } = await measure('GET with a body', EDGE, (t) => getWithBody(t));
  assertAbsorbed(rest);
  assert.deepEqual(outcome.statuses, [400], 'refused, and the hidden request is not answered');
});
