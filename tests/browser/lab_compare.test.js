// The cookie lab as a tester uses it: run it framed by a publisher in
// WebKit (ITP), Chromium (default) and Firefox, press "Save result" in each,
// then open one comparison link. Also: the server's view of the frame's
// own request is on the page and in the JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startIpSites } from './lib/ip_sites.js';
import { startWebKitDriver, WEBKIT_CONFIGS } from './lib/webdriver.js';
import { launchChromium, launchFirefox, CHROMIUM_PROFILES } from './lib/browsers.js';
import { poll, frameOf, SHOT_DIR } from './lib/widget.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

let sites;
const saved = {};  // browser -> {id, lab}

before(async () => {
  sites = await startIpSites();
});

after(async () => {
  await sites?.stop();
});

// Runs the lab in a frame (Playwright, Puppeteer or WebDriver frame), saves it.
async function runAndSave(frame, note) {
  await poll('the lab to finish', () => frame.evaluate(() => document.body.dataset.labState === 'done'));
  if (typeof frame.fill === 'function') await frame.fill('#lab-note', note);
  else {
    await frame.click('#lab-note');
    await frame.type('#lab-note', note);
  }
  await frame.click('#lab-save');
  const id = await poll('the report to be saved', () => frame.evaluate(() => document.body.dataset.labReport || ''));
  const lab = await frame.evaluate(() => JSON.parse(JSON.stringify(window.storkLab)));
  return { id, lab };
}

test('WebKit with ITP: the lab saves a report', async () => {
  const driver = await startWebKitDriver();
  try {
    const wk = await driver.launch(WEBKIT_CONFIGS.itp);
    try {
      await wk.goto(sites.a.url('/lab.html'));
      saved.webkit = await runAndSave(wk.frame('#lab'), 'WebKit, ITP on');
    } finally {
      await wk.close();
    }
  } finally {
    await driver.stop();
  }
  const { lab } = saved.webkit;
  assert.deepEqual([lab.unpartitionedCookie, lab.partitionedCookie, lab.localStorage], [false, false, true]);
  // What Stork saw of the frame document: a cross-site iframe, no cookies.
  assert.equal(lab.server.document.secFetchDest, 'iframe');
  assert.deepEqual(lab.server.fetch.cookies, []);
  assert.equal(lab.server.fetch.origin, '', 'a same-origin GET carries no Origin');
});

test('Chromium (third-party cookies blocked) and Firefox save theirs; the server saw the partitioned cookie', async () => {
  const chromium = await launchChromium(CHROMIUM_PROFILES.default);
  try {
    await chromium.page.goto(sites.a.url('/lab.html'), { waitUntil: 'load' });
    saved.chromium = await runAndSave(await frameOf(chromium.page, '/lab'), 'Chromium, default');
  } finally {
    await chromium.close();
  }
  const firefox = await launchFirefox({ hostNames: false });
  try {
    await firefox.page.goto(sites.a.url('/lab.html'), { waitUntil: 'load' });
    const frame = await poll('the lab frame', async () => firefox.page.frames().find((f) => f.url().endsWith('/lab')));
    saved.firefox = await runAndSave(frame, 'Firefox ESR, default');
  } finally {
    await firefox.close();
  }
  const c = saved.chromium.lab;
  assert.deepEqual([c.unpartitionedCookie, c.partitionedCookie], [false, true]);
  assert.equal(c.server.document.secFetchSite, 'cross-site');
  assert.equal(c.server.document.secFetchDest, 'iframe');
  assert.equal(c.server.document.secFetchStorageAccess, 'none', 'Chromium sends Storage Access Headers');
  assert.equal(c.storageAccessHeaders, 'none');
  assert.deepEqual(c.server.fetch.cookies, ['__Host-stork_pprobe'], 'only the partitioned test cookie came back');
  const f = saved.firefox.lab;
  assert.deepEqual([f.unpartitionedCookie, f.partitionedCookie, f.localStorage], [true, true, true]);
  assert.deepEqual(f.server.fetch.cookies.sort(), ['__Host-stork_pprobe', 'stork_probe']);
});

test('the compare page shows the three browsers side by side', async () => {
  assert.ok(saved.webkit && saved.chromium && saved.firefox, 'all three saved');
  const ids = [saved.webkit.id, saved.chromium.id, saved.firefox.id];
  const chromium = await launchChromium(CHROMIUM_PROFILES.default);
  try {
    const page = chromium.page;
    await page.setViewportSize({ width: 1100, height: 900 });
    const res = await page.goto(sites.stork.origin + '/lab/compare?r=' + ids.join(','), { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    const table = await page.evaluate(() => {
      const heads = [...document.querySelectorAll('thead th')].map((th) => th.textContent.trim());
      const rows = {};
      for (const tr of document.querySelectorAll('tbody tr')) {
        rows[tr.querySelector('th').textContent] = [...tr.querySelectorAll('td')].map((td) => td.textContent);
      }
      return { heads, rows };
    });
    assert.equal(table.heads.length, 4);
    assert.match(table.heads[1], /^WebKit.*WebKit, ITP on$/);
    assert.match(table.heads[2], /^Chromium.*Chromium, default$/);
    assert.match(table.heads[3], /^Firefox \d+Firefox ESR, default$/);
    assert.deepEqual(table.rows['Partitioned (CHIPS) cookie'], ['no', 'yes', 'yes']);
    assert.deepEqual(table.rows['Unpartitioned SameSite=None cookie'], ['no', 'no', 'yes']);
    assert.deepEqual(table.rows['Sec-Fetch-Dest (frame document)'], ['iframe', 'iframe', 'iframe']);
    if (SHOT_DIR) {
      await mkdir(SHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SHOT_DIR, 'lab-compare.png'), fullPage: true });
    }
    // One report, on its own page.
    await page.goto(sites.stork.origin + '/lab/r/' + saved.webkit.id, { waitUntil: 'load' });
    assert.match(await page.textContent('h1'), /Cookie lab report: WebKit/);
  } finally {
    await chromium.close();
  }
});
