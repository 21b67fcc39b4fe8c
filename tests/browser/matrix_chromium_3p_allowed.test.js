// Matrix row: Chromium with third-party cookies allowed (profile pref
// cookie_controls_mode 0), over HTTPS. One login on publisher.test is the
// classic stork_sid cookie, so it holds on the reload and on other.test.
// Also here: a rogue page cannot frame the widget, and logging out ends the
// server session for good.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSites } from './lib/sites.js';
import { launchChromium, CHROMIUM_PROFILES } from './lib/browsers.js';
import { openWidget, loginInFrame, frameStorage, productFromFrame, screenshot, waitForState } from './lib/widget.js';
import { checkPublisherIdentity } from './lib/identity.js';
import { labResult, labVerdict, assertCannotFrame, viewerForCookie } from './lib/checks.js';

let sites;
let chromium;

before(async () => {
  sites = await startSites();
  chromium = await launchChromium(CHROMIUM_PROFILES.thirdPartyAllowed, { hostNames: true });
});

after(async () => {
  await chromium?.close();
  await sites?.stop();
});

test('logged in on A after a reload via stork_sid, and logged in on B', async () => {
  const user = sites.stork.user();
  const a = await openWidget(chromium.page, sites.a.url('/'));
  assert.equal(a.state.state, 'anonymous');
  // "Keep me signed in" ticked: a cookie works here, so nothing goes to storage.
  await loginInFrame(a.frame, user, { remember: true });
  assert.deepEqual(await frameStorage(a.frame), {}, 'no refresh token stored where a cookie works');

  const reloaded = await openWidget(chromium.page, sites.a.url('/'));
  assert.deepEqual([reloaded.state.state, reloaded.state.via, reloaded.state.viewer], ['signed-in', 'cookie', user.username]);
  assert.equal(reloaded.state.mode, 'Signed in on all sites');

  const b = await openWidget(chromium.page, sites.b.url('/'));
  assert.deepEqual([b.state.state, b.state.via, b.state.viewer], ['signed-in', 'cookie', user.username]);
  const product = await productFromFrame(b.frame);
  assert.equal(product.viewer.username, user.username);
  await screenshot(chromium.page, 'matrix-chromium-3p-allowed');
});

test('logout on B ends the server session: the old stork_sid replayed by a plain client is anonymous', async () => {
  const user = sites.stork.user();
  // A second user takes over this browser's session on B.
  const b = await openWidget(chromium.page, sites.b.url('/'));
  if (b.state.state === 'signed-in') {
    await b.frame.click('#stork-logout');
    await waitForState(b.frame, 'anonymous');
  }
  await loginInFrame(b.frame, user);
  const jar = await chromium.context.cookies(sites.stork.origin);
  const sid = jar.find((c) => c.name === 'stork_sid');
  assert.ok(sid, 'stork_sid is in the cookie jar: ' + jar.map((c) => c.name).join(','));
  assert.equal(sid.sameSite, 'None');
  assert.equal(sid.secure, true);
  assert.equal(sid.httpOnly, true);
  const before = await viewerForCookie(sites.stork.origin, 'stork_sid', sid.value);
  assert.equal(before && before.username, user.username, 'the replayed cookie works before logout');

  await b.frame.click('#stork-logout');
  await waitForState(b.frame, 'anonymous');
  assert.equal(await viewerForCookie(sites.stork.origin, 'stork_sid', sid.value), null, 'viewer after logout');

  // The browser forgot it too: A is signed out after a reload.
  const a = await openWidget(chromium.page, sites.a.url('/'));
  assert.equal(a.state.state, 'anonymous');
});

test('a page on an unregistered origin, or with an unknown key, cannot frame the widget', async () => {
  await assertCannotFrame(chromium.page, sites.rogue.url('/'), 200);  // CSP frame-ancestors blocks it
  await assertCannotFrame(chromium.page, sites.a.url('/unknown-key'), 403);
});

test('cookie lab on A: both cookies round-trip, storage access already there', async () => {
  const { lab } = await labResult(chromium.page, sites.a.url('/lab.html'));
  assert.deepEqual(labVerdict(lab), { unpartitionedCookie: true, partitionedCookie: true, hasStorageAccess: true, framed: true });
  assert.equal(lab.topLevelSite, sites.a.origin);
  assert.equal(lab.localStorage, true);
  await screenshot(chromium.page, 'lab-chromium-3p-allowed', '#lab');
});

test('signed in by the publisher: on first paint and after a reload, out after Stork.signOut(); A\'s token on B\'s page is refused', async () => {
  const carried = await checkPublisherIdentity({ page: chromium.page }, sites);
  assert.deepEqual(carried, { firstPaint: 'cookie', afterReload: 'cookie' });
});
