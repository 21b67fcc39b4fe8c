// Runs the real `deploy/cluster up` for a test file: nginx in front of two
// Stork processes, on free loopback ports, in a temporary directory, and
// stops it (SIGTERM, as Ctrl+C would) at the end. Also the clients the edge
// tests use: HTTPS that verifies the cluster's certificate, plain HTTP to
// one process, and each process's metrics and memory.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../../..');
export const STORK_BIN = process.env.STORK_BIN || path.join(ROOT, 'build/stork');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseEnv(text) {
  const env = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Starts `deploy/cluster up`; resolves once it printed that it is up.
export async function startCluster({ processes = 2, extraArgs = [] } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'stork-edge-'));
  // As root the cluster's PostgreSQL runs as the postgres user, which must
  // reach its data directory inside this one (mkdtemp makes it 0700).
  await chmod(dir, 0o711);
  const clusterDir = path.join(dir, 'cluster');
  const args = ['up', '--dir', clusterDir, '--port', '0', '--site-port', '0', '--processes', String(processes),
    '--stork', STORK_BIN, '--no-install', ...extraArgs];
  if (process.env.STORK_CLUSTER_STORE) args.push('--store', process.env.STORK_CLUSTER_STORE);
  const child = spawn(path.join(ROOT, 'deploy/cluster'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const reap = () => child.kill('SIGKILL');  // the processes it started get SIGTERM from the kernel
  process.once('exit', reap);

  const until = Date.now() + 120_000;
  while (!log.includes('Press Ctrl+C to stop.')) {
    const failed = child.exitCode !== null ? 'exited early' : Date.now() > until ? 'did not come up in time' : '';
    if (failed) {
      child.kill('SIGTERM');
      await exited;
      process.off('exit', reap);
      await rm(dir, { recursive: true, force: true });
      throw new Error(`deploy/cluster ${failed}:\n` + log);
    }
    await sleep(100);
  }
  const envFile = path.join(clusterDir, 'cluster.env');
  const cluster = {
    dir,
    clusterDir,
    log: () => log,
    env: parseEnv(await readFile(envFile, 'utf8')),
    async reloadEnv() {
      cluster.env = parseEnv(await readFile(envFile, 'utf8'));
      return cluster.env;
    },
    ca: readFileSync(path.join(clusterDir, 'tls/cert.pem')),
    get edgePort() { return Number(new URL(cluster.env.EDGE_URL).port); },
    get origin() { return cluster.env.EDGE_URL; },
    storkPort(i) { return Number(new URL(cluster.env[`STORK_${i}_URL`]).port); },
    storkPid(i) { return Number(cluster.env[`STORK_${i}_PID`]); },
    nginxPids() {
      const master = Number(cluster.env.NGINX_PID);
      return [master, ...childPids(master)];
    },
    // Every process of the cluster: its name and pid (for memory figures).
    processes() {
      const list = [];
      for (let i = 1; i <= Number(cluster.env.PROCESSES); i++) list.push({ name: `stork-${i}`, pid: cluster.storkPid(i) });
      cluster.nginxPids().forEach((pid, k) => list.push({ name: k === 0 ? 'nginx master' : `nginx worker ${k}`, pid }));
      return list;
    },
    // Ctrl+C: every process it started must be gone afterwards.
    async stop() {
      const pids = [Number(cluster.env.NGINX_PID), ...cluster.nginxPids()];
      for (let i = 1; i <= Number(cluster.env.PROCESSES); i++) pids.push(cluster.storkPid(i));
      let result = { code: child.exitCode, signal: child.signalCode };
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        result = await exited;
        clearTimeout(timer);
      }
      process.off('exit', reap);
      for (let k = 0; k < 50 && pids.some(alive); k++) await sleep(100);
      const left = pids.filter(alive);
      await rm(dir, { recursive: true, force: true });
      return { ...result, left };
    },
  };
  return cluster;
}

export function childPids(pid) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch { /* gone meanwhile */ }
  }
  return out;
}

// Resident memory of a process, in MiB (0 once it is gone).
export function rssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
    return kb / 1024;
  } catch {
    return 0;
  }
}

// Samples every process's RSS until stop(); answers the largest growth
// over the value at the start, per process.
export function memoryWatch(processes) {
  const base = new Map(processes.map((p) => [p.name, rssMiB(p.pid)]));
  const peak = new Map(base);
  const timer = setInterval(() => {
    for (const p of processes) peak.set(p.name, Math.max(peak.get(p.name), rssMiB(p.pid)));
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      for (const p of processes) peak.set(p.name, Math.max(peak.get(p.name), rssMiB(p.pid)));
      return processes.map((p) => ({ name: p.name, base: base.get(p.name), peak: peak.get(p.name),
        growth: peak.get(p.name) - base.get(p.name) }));
    },
  };
}

// One request and its whole answer: {status, headers, body, json, ms,
// alpn}. `edge`: HTTPS to nginx, certificate checked against the cluster's;
// otherwise plain HTTP to `port`. `localAddress` picks the client address
// (127.0.0.x), so a test can be "another client".
export function request(cluster, { edge = true, port, method = 'GET', path: p = '/', headers = {}, body,
  localAddress, agent = false, timeout = 10_000 } = {}) {
  const started = process.hrtime.bigint();
  const lib = edge ? https : http;
  const hostHeader = edge ? `localhost:${cluster.edgePort}` : `127.0.0.1:${port}`;
  const all = { Host: hostHeader, ...headers };
  if (body !== undefined) all['Content-Length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = lib.request({
      host: '127.0.0.1',
      port: edge ? cluster.edgePort : port,
      method,
      path: p,
      headers: all,
      agent,
      timeout,
      localAddress,
      ...(edge ? { ca: cluster.ca, servername: 'localhost' } : {}),
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { json = null; }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json,
          ms: Number(process.hrtime.bigint() - started) / 1e6 });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeout} ms: ${method} ${p}`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Signs the demo user in through the edge; answers the session cookie.
export async function signIn(cluster, { username = cluster.env.DEMO_USER, password = cluster.env.DEMO_PASSWORD } = {}) {
  const res = await request(cluster, {
    method: 'POST', path: '/api/login',
    headers: { Origin: cluster.origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password, remember: false }),
  });
  if (res.status !== 200) throw new Error(`login through the edge: ${res.status} ${res.body}`);
  const cookies = [].concat(res.headers['set-cookie'] || []);
  const sid = cookies.map((c) => /^stork_sid=([^;]+)/.exec(c)).find(Boolean);
  if (!sid) throw new Error('no stork_sid cookie in ' + cookies.join(' | '));
  return { cookie: 'stork_sid=' + sid[1], csrf: res.json && res.json.csrf, response: res };
}

// Requests counted by one process, from its own /metrics (plain HTTP on its
// port: metrics are not served through the edge).
export async function requestCount(cluster, i, routePattern = /.*/) {
  const res = await request(cluster, { edge: false, port: cluster.storkPort(i), path: '/metrics' });
  if (res.status !== 200) throw new Error(`metrics of stork-${i}: ${res.status}`);
  let total = 0;
  for (const line of res.body.split('\n')) {
    const m = /^stork_http_requests_total\{([^}]*)\}\s+(\d+)/.exec(line);
    if (m && routePattern.test(m[1])) total += Number(m[2]);
  }
  return total;
}
