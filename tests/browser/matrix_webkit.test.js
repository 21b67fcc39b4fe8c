// Matrix rows: WebKit (Safari's engine: WebKitGTK's MiniBrowser driven by
// WebKitWebDriver under Xvfb), over HTTPS on IP sites: Stork on 127.0.0.1,
// publisher A on 127.0.0.2, publisher B on 127.0.0.3.
//
// - Default policy (cookies: no-third-party, no ITP): no cookie set in the
//   frame comes back, the partitioned one included, so a sign-in in the
//   frame is bearer-only; after a first-party sign-in on Stork's own site
//   that cookie is sent to the frame on every publisher.
// - With Intelligent Tracking Prevention (as in Safari): no cookie at all
//   in the frame, but its localStorage is kept per top-level site, so
//   "Keep me signed in" keeps a refresh token there: signed in on A after
//   a reload, signed out on B; a copy of a spent refresh token replayed
//   from outside ends the sign-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startIpSites } from './lib/ip_sites.js';
import { startWebKitDriver, WEBKIT_CONFIGS } from './lib/webdriver.js';
import { settledState, waitForState, loginInFrame, frameStorage, productFromFrame, poll } from './lib/widget.js';
import { labVerdict } from './lib/checks.js';
import { checkPublisherIdentity } from './lib/identity.js';
import { fetchRaw } from './lib/stork.js';

let sites;
let driver;

before(async () => {
  sites = await startIpSites();
  driver = await startWebKitDriver();
});

after(async () => {
  await driver?.stop();
  await sites?.stop();
});

// Opens a publisher page in WebKit; answers the widget frame and its settled state.
async function openWidget(wk, url) {
  await wk.goto(url);
  await poll('the widget frame', () => wk.page.evaluate(() => {
    const f = document.querySelector('iframe');
    return Boolean(f && f.src.includes('/widget'));
  }));
  const frame = wk.frame('iframe');
  return { frame, state: await settledState(frame) };
}

async function labIn(wk, url) {
  await wk.goto(url);
  const frame = wk.frame('#lab');
  await poll('the lab to finish', () => frame.evaluate(() => document.body.dataset.labState === 'done'));
  return frame.evaluate(() => JSON.parse(JSON.stringify(window.storkLab)));
}

test('WebKit, default policy: the frame keeps no cookie (bearer for the page only); a first-party sign-in is seen on every publisher', async () => {
  const wk = await driver.launch(WEBKIT_CONFIGS.default);
  try {
    const user = sites.stork.user();
    const a = await openWidget(wk, sites.a.url('/'));
    assert.equal(a.state.state, 'anonymous');
    const signed = await loginInFrame(a.frame, user);
    assert.deepEqual([signed.via, signed.viewer, signed.mode], ['token', user.username, 'Signed in for this page only']);
    assert.deepEqual(await frameStorage(a.frame), {}, 'nothing kept without "Keep me signed in"');

    const reloaded = await openWidget(wk, sites.a.url('/'));
    assert.equal(reloaded.state.state, 'anonymous', 'a bearer token lives only as long as the page');

    const lab = await labIn(wk, sites.a.url('/lab.html'));
    assert.deepEqual(labVerdict(lab), { unpartitionedCookie: false, partitionedCookie: false, hasStorageAccess: false, framed: true });
    assert.equal(lab.localStorage, true);

    // A first-party visit: signing in on Stork's own site.
    const firstParty = sites.stork.user();
    await wk.goto(sites.stork.origin + '/login');
    const login = wk.page;
    await poll('the login form', () => login.evaluate(() => !document.getElementById('stork-login-form').hidden));
    await login.fill('#stork-username', firstParty.username);
    await login.fill('#stork-password', firstParty.password);
    await login.click('#stork-login-submit');
    await poll('the first-party sign-in', () => login.evaluate(() =>
      document.getElementById('stork-login-form').hidden && document.getElementById('stork-loading').hidden));

    for (const site of [sites.a, sites.b]) {
      const w = await openWidget(wk, site.url('/'));
      assert.deepEqual([w.state.state, w.state.via, w.state.viewer], ['signed-in', 'cookie', firstParty.username],
        'the first-party cookie is sent to the frame on ' + site.origin);
    }
  } finally {
    await wk.close();
  }
});

test('WebKit with ITP: "Keep me signed in" keeps a rotating refresh token in the frame\'s partitioned storage', async () => {
  const wk = await driver.launch(WEBKIT_CONFIGS.itp);
  try {
    const user = sites.stork.user();
    const a = await openWidget(wk, sites.a.url('/'));
    assert.equal(a.state.state, 'anonymous');
    const signed = await loginInFrame(a.frame, user, { remember: true });
    assert.deepEqual([signed.via, signed.viewer, signed.mode], ['kept', user.username, 'Signed in on this site only']);
    const stored = await frameStorage(a.frame);
    assert.deepEqual(Object.keys(stored), ['stork:refresh'], 'only the refresh token is stored');
    const spent = stored['stork:refresh'];

    const reloaded = await openWidget(wk, sites.a.url('/'));
    assert.deepEqual([reloaded.state.state, reloaded.state.via, reloaded.state.viewer, reloaded.state.mode],
      ['signed-in', 'kept', user.username, 'Signed in on this site only'], 'signed in on A after a reload');
    assert.equal((await productFromFrame(reloaded.frame)).viewer, null, 'no cookie carries it: the bearer token does');
    const rotated = (await frameStorage(reloaded.frame))['stork:refresh'];
    assert.ok(rotated && rotated !== spent, 'the refresh token was rotated at the reload');

    const b = await openWidget(wk, sites.b.url('/'));
    assert.equal(b.state.state, 'anonymous', 'signed out on B: storage is partitioned per top-level site');
    assert.deepEqual(await frameStorage(b.frame), {});

    // A copy of the spent token, replayed from elsewhere, ends the sign-in.
    const replay = await fetchRaw(sites.stork.origin + '/api/token', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: sites.stork.origin },
      body: JSON.stringify({ refresh: spent }),
    });
    assert.deepEqual([replay.status, replay.json.error], [401, 'refresh_reused']);
    const ended = await openWidget(wk, sites.a.url('/'));
    assert.equal(ended.state.state, 'anonymous', 'the whole sign-in ended');
    assert.deepEqual(await frameStorage(ended.frame), {}, 'the refused token is forgotten');

    // Without "Keep me signed in", nothing is kept.
    await loginInFrame(ended.frame, sites.stork.user());
    assert.deepEqual(await frameStorage(ended.frame), {});
    assert.equal((await openWidget(wk, sites.a.url('/'))).state.state, 'anonymous');

    const lab = await labIn(wk, sites.a.url('/lab.html'));
    assert.deepEqual(labVerdict(lab), { unpartitionedCookie: false, partitionedCookie: false, hasStorageAccess: false, framed: true });
    assert.equal(lab.localStorage, true);
    await wk.screenshot('matrix-webkit-itp-lab');
  } finally {
    await wk.close();
  }
});

test('WebKit, default policy: signed in by the publisher on first paint and after a reload, out after Stork.signOut(); A\'s token on B\'s page is refused', async () => {
  const wk = await driver.launch(WEBKIT_CONFIGS.default);
  try {
    const carried = await checkPublisherIdentity({ page: wk.page, open: (url) => openWidget(wk, url) }, sites);
    assert.deepEqual(carried, { firstPaint: 'token', afterReload: 'token' });
  } finally {
    await wk.close();
  }
});
