// Matrix row: Chromium with all cookies blocked (profile pref
// default_content_setting_values.cookies 2), over HTTPS. No cookie survives,
// navigator.cookieEnabled notwithstanding, so the widget signs in with a
// bearer token kept in page memory: signed in for the page, signed out after
// a reload and on other.test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSites } from './lib/sites.js';
import { fetchRaw } from './lib/stork.js';
import { launchChromium, CHROMIUM_PROFILES } from './lib/browsers.js';
import { openWidget, loginInFrame, screenshot, waitForState } from './lib/widget.js';
import { checkPublisherIdentity } from './lib/identity.js';
import { labResult, labVerdict } from './lib/checks.js';

let sites;
let chromium;

before(async () => {
  sites = await startSites();
  chromium = await launchChromium(CHROMIUM_PROFILES.allCookiesBlocked, { hostNames: true });
});

after(async () => {
  await chromium?.close();
  await sites?.stop();
});

test('logged in on A for the page via token; logged out after a reload and on B', async () => {
  const user = sites.stork.user();
  const a = await openWidget(chromium.page, sites.a.url('/'));
  assert.equal(a.state.state, 'anonymous');
  const signedIn = await loginInFrame(a.frame, user);
  assert.deepEqual([signedIn.via, signedIn.viewer], ['token', user.username]);
  assert.equal(signedIn.mode, 'Signed in for this page only');

  // Signed-in actions use the bearer token and its CSRF rules too.
  const rated = chromium.page.waitForRequest((r) => new URL(r.url()).pathname === '/api/products/1337/rating');
  await a.frame.click('button[data-stars="4"]');
  await a.frame.waitForFunction(() => document.querySelector('button[data-stars="4"]').getAttribute('aria-pressed') === 'true');
  const headers = await (await rated).allHeaders();
  assert.match(headers.authorization || '', /^Bearer \S+$/);
  assert.ok(headers['x-csrf-token'], 'the change carried its CSRF token');
  // The same bearer token without the CSRF token is refused, like a cookie session.
  const forged = await fetchRaw(sites.stork.origin + '/api/products/1337/rating', {
    method: 'PUT',
    headers: { Authorization: headers.authorization, Origin: sites.stork.origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ stars: 1 }),
  });
  assert.equal(forged.status, 403);
  assert.equal(forged.json.error, 'csrf');
  await screenshot(chromium.page, 'matrix-chromium-cookies-blocked');

  assert.deepEqual(await chromium.context.cookies(sites.stork.origin), [], 'the browser kept no cookie at all');

  const reloaded = await openWidget(chromium.page, sites.a.url('/'));
  assert.equal(reloaded.state.state, 'anonymous', 'the token lived only in the page');
  const b = await openWidget(chromium.page, sites.b.url('/'));
  assert.equal(b.state.state, 'anonymous');
});

test('logout in token mode ends the session on the server', async () => {
  const user = sites.stork.user();
  const a = await openWidget(chromium.page, sites.a.url('/'));
  await loginInFrame(a.frame, user);
  // Capture the bearer token the page sends, as a script on the page could not.
  const sent = chromium.page.waitForRequest((r) => new URL(r.url()).pathname === '/api/logout');
  await a.frame.click('#stork-logout');
  const auth = await (await sent).headerValue('authorization');
  assert.match(auth || '', /^Bearer \S+$/);
  await waitForState(a.frame, 'anonymous');
  const me = await fetchRaw(sites.stork.origin + '/api/me', { headers: { Authorization: auth } });
  assert.equal(me.status, 401, 'the token is dead after logout: ' + me.body);
});

test('cookie lab on A: no cookie of any kind round-trips', async () => {
  const { lab } = await labResult(chromium.page, sites.a.url('/lab.html'));
  assert.deepEqual(labVerdict(lab), { unpartitionedCookie: false, partitionedCookie: false, hasStorageAccess: false, framed: true });
  assert.equal(lab.cookieEnabled, true, 'Chromium still claims cookies are enabled');
  assert.equal(lab.localStorage, false);
  await screenshot(chromium.page, 'lab-chromium-cookies-blocked', '#lab');
});

test('signed in by the publisher: on first paint and after a reload, out after Stork.signOut(); A\'s token on B\'s page is refused', async () => {
  const carried = await checkPublisherIdentity({ page: chromium.page }, sites);
  assert.deepEqual(carried, { firstPaint: 'token', afterReload: 'token' });
});
