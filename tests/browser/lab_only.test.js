// `stork serve --lab-only`: the cookie lab without accounts, publishers or a
// database to prepare. The server answers only the lab's paths, its demo
// listener serves a page framing the lab, and the scratch database it made
// is gone when it stops. Chromium (third-party cookies blocked, pinned)
// reports what the matrix expects for that configuration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { spawnServer, freePort, fetchRaw } from './lib/stork.js';
import { launchChromium, CHROMIUM_PROFILES } from './lib/browsers.js';
import { labResult, labVerdict } from './lib/checks.js';
import { screenshot, poll } from './lib/widget.js';

let server;
let labOrigin;
let framingOrigin;

before(async () => {
  const port = await freePort();
  const framingPort = await freePort();
  labOrigin = 'http://localhost:' + port;
  framingOrigin = 'http://127.0.0.1:' + framingPort;
  server = await spawnServer(['serve', '--lab-only', '--listen', '127.0.0.1:' + port,
    '--demo-publisher', '127.0.0.1:' + framingPort], labOrigin);
});

after(async () => {
  await server?.stop();
});

test('only the lab\'s paths are served, and a page framing it', async () => {
  for (const p of ['/lab', '/api/cookie-check?step=read', '/assets/lab.js', '/embed.js', '/healthz']) {
    assert.equal((await fetchRaw(labOrigin + p)).status, 200, p);
  }
  for (const p of ['/widget?product=1337&publisher=demo', '/login', '/api/me', '/products/1337.json', '/metrics']) {
    const res = await fetchRaw(labOrigin + p);
    assert.equal(res.status, 404, p);
    assert.equal(res.json && res.json.error, 'not_found', p);
  }
  const login = await fetchRaw(labOrigin + '/api/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Origin: labOrigin },
    body: JSON.stringify({ username: 'johndoe', password: 'x' }),
  });
  assert.equal(login.status, 404, 'no accounts in lab-only mode');

  const framing = await fetchRaw(framingOrigin + '/');
  assert.equal(framing.status, 200);
  assert.ok(framing.body.includes('src="' + labOrigin + '/lab"'), 'the framing page frames this server\'s lab');
  assert.equal((await fetchRaw(framingOrigin + '/index.html')).status, 404);

});

test('Chromium, third-party cookies blocked: the framed lab reports only the partitioned cookie', async () => {
  const chromium = await launchChromium(CHROMIUM_PROFILES.default);
  try {
    const { lab } = await labResult(chromium.page, framingOrigin + '/');
    assert.deepEqual(labVerdict(lab), { unpartitionedCookie: false, partitionedCookie: true, hasStorageAccess: false, framed: true });
    assert.equal(lab.topLevelSite, framingOrigin);
    assert.equal(lab.frameSite, labOrigin);
    // The JSON is also on the page, for people to copy.
    const shown = await chromium.page.frames().find((f) => f.url().endsWith('/lab'))
      .evaluate(() => JSON.parse(document.getElementById('lab-json').textContent));
    assert.deepEqual(labVerdict(shown), labVerdict(lab));
    // The framing page sizes the frame to the lab: nothing is cut off.
    const labFrame = chromium.page.frames().find((f) => f.url().endsWith('/lab'));
    await poll('the lab frame to fit its content', async () => {
      const frame = await chromium.page.evaluate(() => document.querySelector('iframe.lab-frame').clientHeight);
      const content = await labFrame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
      return content > 600 && Math.abs(frame - content) <= 2;
    });
    await screenshot(chromium.page, 'lab-only-chromium-default', 'iframe');
  } finally {
    await chromium.close();
  }
});

test('stopping the server removes its scratch database', async () => {
  const match = /SQLite file (\S+)\)/.exec(server.log());
  assert.ok(match, 'the banner names the database: ' + server.log());
  const dir = path.dirname(match[1]);
  assert.ok(path.basename(dir).startsWith('stork-lab-'), dir);
  await access(match[1]);
  await server.stop();
  assert.equal(server.child.exitCode, 0, 'a clean exit on SIGTERM:\n' + server.log());
  await assert.rejects(access(dir), 'the scratch directory is removed');
});
