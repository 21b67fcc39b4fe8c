// `deploy/cluster up` as a newcomer runs it, then the edge's contract:
// sign-in through nginx, reads spread over both Stork processes (each
// process's own metrics prove it), TLS with HTTP/2 and HSTS, the widget's
// assets served and cached by nginx, page templates and metrics not
// reachable through it, rate-limited sign-in, and a Ctrl+C that leaves
// nothing running.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import https from 'node:https';
import http2 from 'node:http2';
import { startCluster, request, signIn, requestCount } from './lib/cluster.js';

let cluster;

before(async () => {
  cluster = await startCluster();
});

after(async () => {
  if (!cluster) return;
  const stopped = await cluster.stop();
  assert.deepEqual(stopped.left, [], 'every process the cluster started is gone after SIGTERM');
  assert.equal(stopped.code, 0, 'deploy/cluster exits 0 on SIGTERM');
});

test('the cluster prints the URLs and a password that signs the demo user in through the edge', async () => {
  const log = cluster.log();
  assert.match(log, new RegExp('Demo publisher site: +' + cluster.env.SITE_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.match(log, /Demo user: +johndoe \/ \S{12,}/);
  const { cookie, response } = await signIn(cluster);
  assert.equal(response.json.user.username, 'johndoe');
  assert.match(response.headers['strict-transport-security'], /^max-age=\d+/);
  const me = await request(cluster, { path: '/api/me', headers: { Cookie: cookie } });
  assert.equal(me.status, 200);
  assert.equal(me.json.user.username, 'johndoe');
});

test('reads through the edge are served by both Stork processes', async () => {
  const { cookie } = await signIn(cluster);
  const product = /route="product",status="200"/;
  const before1 = await requestCount(cluster, 1, product);
  const before2 = await requestCount(cluster, 2, product);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  const reads = [];
  for (let k = 0; k < 40; k++) {
    reads.push(request(cluster, { path: '/products/1337.json', headers: { Cookie: cookie }, agent }));
  }
  const results = await Promise.all(reads);
  agent.destroy();
  for (const r of results) {
    assert.equal(r.status, 200);
    assert.equal(r.json.viewer && r.json.viewer.username, 'johndoe', 'personalized through the edge');
  }
  const served1 = (await requestCount(cluster, 1, product)) - before1;
  const served2 = (await requestCount(cluster, 2, product)) - before2;
  assert.equal(served1 + served2, 40, `every read reached exactly one process (${served1} + ${served2})`);
  assert.ok(served1 >= 5 && served2 >= 5, `both processes served reads: ${served1} and ${served2}`);
});

test('TLS offers HTTP/2 to browsers; the widget page works over it', async () => {
  const alpn = await new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port: cluster.edgePort, servername: 'localhost', ca: cluster.ca,
      ALPNProtocols: ['h2', 'http/1.1'] }, () => { resolve(s.alpnProtocol); s.end(); });
    s.on('error', reject);
  });
  assert.equal(alpn, 'h2');
  const session = http2.connect(cluster.origin, { ca: cluster.ca, host: '127.0.0.1',
    createConnection: () => tls.connect({ host: '127.0.0.1', port: cluster.edgePort, servername: 'localhost',
      ca: cluster.ca, ALPNProtocols: ['h2'] }) });
  try {
    const res = await new Promise((resolve, reject) => {
      const req = session.request({ ':path': '/widget?product=1337&publisher=demo', ':authority': `localhost:${cluster.edgePort}` });
      let body = '';
      let headers;
      req.on('response', (h) => { headers = h; });
      req.on('data', (d) => { body += d; });
      req.on('end', () => resolve({ headers, body }));
      req.on('error', reject);
      req.end();
    });
    assert.equal(res.headers[':status'], 200);
    assert.ok(res.headers['content-security-policy'].endsWith('frame-ancestors ' + cluster.env.SITE_URL.replace(/\/$/, '')),
      'only the demo site may frame the widget: ' + res.headers['content-security-policy']);
    assert.match(res.headers['strict-transport-security'], /max-age=/);
    assert.match(res.body, /\/assets\/widget\.js/);
  } finally {
    session.close();
  }
});

test('the demo publisher page embeds the widget from the edge', async () => {
  const site = new URL(cluster.env.SITE_URL);
  // The publisher site is another listener of the same nginx.
  const page = await new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: Number(site.port), path: '/', ca: cluster.ca }, (r) => {
      let body = '';
      r.on('data', (d) => { body += d; });
      r.on('end', () => resolve({ status: r.statusCode, body }));
    }).on('error', reject);
  });
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(cluster.origin + '/embed.js'), 'the page loads embed.js from the edge');
  assert.ok(!page.body.includes('{{STORK_ORIGIN}}'), 'the placeholder is filled');
});

test('widget assets come from nginx with long caching and ETag revalidation; templates and metrics do not', async () => {
  const assetsBefore = (await requestCount(cluster, 1, /route="assets"/)) + (await requestCount(cluster, 2, /route="assets"/));
  const js = await request(cluster, { path: '/assets/widget.js' });
  assert.equal(js.status, 200);
  assert.match(js.headers['content-type'], /javascript/);
  assert.match(js.headers['cache-control'], /max-age=86400/);
  assert.ok(js.headers.etag, 'an ETag');
  assert.equal(js.headers['x-content-type-options'], 'nosniff');
  const again = await request(cluster, { path: '/assets/widget.js', headers: { 'If-None-Match': js.headers.etag } });
  assert.equal(again.status, 304);
  const versioned = await request(cluster, { path: '/assets/widget.css?v=3' });
  assert.match(versioned.headers['cache-control'], /max-age=31536000, immutable/);
  const svg = await request(cluster, { path: '/assets/img/camera.svg' });
  assert.equal(svg.status, 200);
  const embed = await request(cluster, { path: '/embed.js' });
  assert.equal(embed.status, 200);
  assert.match(embed.headers['cache-control'], /max-age=300/);
  const assetsAfter = (await requestCount(cluster, 1, /route="assets"/)) + (await requestCount(cluster, 2, /route="assets"/));
  assert.equal(assetsAfter, assetsBefore, 'no asset request reached Stork');

  for (const p of ['/assets/widget.html', '/assets/login.html', '/assets/lab.html', '/assets/../widget/widget.html']) {
    const res = await request(cluster, { path: p });
    assert.equal(res.status, 404, p + ' is not a static file');
  }
  const metrics = await request(cluster, { path: '/metrics' });
  assert.equal(metrics.status, 404, 'metrics are not served through the edge');
});

test('sign-in is rate-limited per address at the edge, with Stork\'s error format; Stork sees the client address', async () => {
  const attempts = [];
  for (let k = 0; k < 30; k++) {
    attempts.push(request(cluster, {
      method: 'POST', path: '/api/login', localAddress: '127.0.0.9',
      headers: { Origin: cluster.origin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'nobody' + k, password: 'wrong password ' + k }),
    }));
  }
  const results = await Promise.all(attempts);
  const limited = results.filter((r) => r.status === 429 && r.json && r.json.error === 'too_many_requests');
  assert.ok(limited.length >= 10, `the edge refused the burst: ${results.map((r) => r.status).join(',')}`);
  // What passed the edge reached Stork as wrong passwords from 127.0.0.9:
  // ten of them block that address in Stork for 10 minutes.
  const reachedStork = results.filter((r) => r.status === 401 || (r.json && r.json.error === 'too_many_attempts'));
  assert.ok(reachedStork.length >= 10, `enough attempts reached Stork to trip its address throttle (${reachedStork.length})`);
  // Another address is not affected: Stork takes the client's address from
  // the edge's X-Forwarded-For (--trusted-proxy), not the edge's own
  // 127.0.0.1, which every request shares.
  const other = await request(cluster, {
    method: 'POST', path: '/api/login', localAddress: '127.0.0.10',
    headers: { Origin: cluster.origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'johndoe', password: cluster.env.DEMO_PASSWORD }),
  });
  assert.equal(other.status, 200);
});
