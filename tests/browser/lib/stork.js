// Runs a real `stork serve` on loopback for a test file: a seeded SQLite
// database in a temporary directory, publishers registered through the CLI,
// and a plain HTTP(S) client that replays cookies the way a script would.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const STORK_BIN = process.env.STORK_BIN || '';

// A port the kernel just handed out; the server binds it right after.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function tempDir(prefix) {
  return mkdtemp(path.join(tmpdir(), prefix));
}

async function stork(args) {
  if (!STORK_BIN) throw new Error('STORK_BIN is not set (run through ctest)');
  return run(STORK_BIN, args, { timeout: 60_000 });
}

// Answers {status, headers, body, json} for one request, TLS errors ignored
// (the certificates are made at test time).
export function fetchRaw(url, { method = 'GET', headers = {}, body } = {}) {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, {
      method,
      // A declared length: the server refuses chunked bodies.
      headers: body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) },
      rejectUnauthorized: false,
      agent: false,  // a fresh connection per request: no state carried between checks
      // Names like widget.test resolve to loopback for this client too.
      lookup: (_host, opts, cb) => (opts && opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)),
      timeout: 10_000,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { json = null; }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error('request timed out: ' + url)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function waitHealthy(origin, child, deadlineMs) {
  const until = Date.now() + deadlineMs;
  let lastError = null;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error('stork exited with ' + child.exitCode);
    try {
      const res = await fetchRaw(origin + '/healthz');
      if (res.status === 200) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('stork did not become healthy: ' + (lastError && lastError.message));
}

// Runs `stork ARGS` until stop(), once /healthz answers at origin.
export async function spawnServer(args, origin) {
  const child = spawn(STORK_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A test runner killed on timeout must not leave a server behind.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  exited.then(() => process.off('exit', reap));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitHealthy(origin, child, 15_000);
  } catch (err) {
    await stop();
    throw new Error(err.message + '\n' + log);
  }
  return { child, log: () => log, stop, exited };
}

// Starts a seeded server. publishers: {KEY: [origins]}; tls: {cert, key};
// keys: identity keys to register, [{publisher, kid, publicPem}].
export async function startStork({ host = 'localhost', tls = null, publishers = {}, users = 12, extraArgs = [], keys = [] } = {}) {
  const dir = await tempDir('stork-browser-');
  const db = path.join(dir, 'stork.db');
  try {
    await stork(['seed', '--db', db, '--users', String(users), '--products', '5']);
    for (const [key, origins] of Object.entries(publishers)) {
      await stork(['publisher', 'add', key, ...origins.flatMap((o) => ['--origin', o]), '--db', db]);
    }
    for (const key of keys) {
      const file = path.join(dir, key.kid + '.pem');
      await writeFile(file, key.publicPem);
      await stork(['publisher', 'key', 'add', key.publisher, '--alg', 'ES256', '--public-key', file, '--kid', key.kid, '--db', db]);
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const origin = (tls ? 'https' : 'http') + '://' + host + ':' + port;
  const args = ['serve', '--listen', '127.0.0.1:' + port, '--db', db, '--public-origin', origin, '--workers', '32',
    ...extraArgs];
  if (tls) args.push('--tls-cert', tls.cert, '--tls-key', tls.key);
  let server;
  try {
    server = await spawnServer(args, origin);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let nextUser = 1;
  return {
    origin,
    port,
    db,
    log: server.log,
    // A fresh seeded user per scenario keeps scenarios independent.
    user() {
      if (nextUser > users) throw new Error('out of seeded users');
      const name = 'user' + String(nextUser++).padStart(5, '0');
      return { username: name, password: 'pw-' + name };
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// A throw-away certificate for the test names (or loopback IPs), made with openssl.
export async function makeCertificate(dir, names) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', key, '-out', cert,
    '-subj', '/CN=' + names[0], '-addext', 'subjectAltName=' + names.map((n) => (net.isIP(n) ? 'IP:' : 'DNS:') + n).join(',')],
  { timeout: 30_000 });
  return { cert, key };
}
