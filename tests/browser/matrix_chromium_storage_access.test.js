// Matrix rows: Chromium default (third-party cookies blocked, pinned) with
// the Storage Access API, over HTTPS. The visitor signs in first-party on
// widget.test (the widget's own popup), then "Continue" in the frame uses
// that stork_sid session on publisher.test and on other.test once the
// browser grants storage access (granted through DevTools, as a visitor
// accepting the prompt would). On a second visit the Storage Access Headers
// sign the visitor in on first paint, without any click or script call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSites } from './lib/sites.js';
import { launchChromium, CHROMIUM_PROFILES } from './lib/browsers.js';
import { openWidget, frameOf, settledState, waitForState, poll, screenshot } from './lib/widget.js';
import { labResult, labVerdict } from './lib/checks.js';
import { fetchRaw } from './lib/stork.js';
import { checkPublisherIdentity } from './lib/identity.js';

let sites;
let chromium;
let user;

before(async () => {
  sites = await startSites();
  chromium = await launchChromium(CHROMIUM_PROFILES.default, { hostNames: true });
  user = sites.stork.user();
});

after(async () => {
  await chromium?.close();
  await sites?.stop();
});

const accessMessage = (frame) => frame.evaluate(() => document.getElementById('stork-access-msg').textContent);

async function continueWithGrant(frame, topOrigin) {
  await chromium.grantStorageAccess(topOrigin, sites.stork.origin);
  await frame.click('#stork-continue');
  return waitForState(frame, 'signed-in');
}

test('first-party login in the popup, then Continue: logged in on A via stork_sid, and on B after Continue', async () => {
  const a = await openWidget(chromium.page, sites.a.url('/'));
  assert.equal(a.state.state, 'anonymous');
  assert.equal(a.state.continueVisible, true, 'the frame offers Continue when it has no storage access');

  // Never visited widget.test first-party: the browser refuses, the widget offers its popup.
  await a.frame.click('#stork-continue');
  await poll('the popup button', () => a.frame.isVisible('#stork-popup'));
  assert.match(await accessMessage(a.frame), /first needs you to sign in on Stork/);

  const popupOpened = chromium.context.waitForEvent('page');
  await a.frame.click('#stork-popup');
  const popup = await popupOpened;
  await popup.waitForLoadState('load');
  assert.equal(new URL(popup.url()).origin, sites.stork.origin);
  assert.equal(new URL(popup.url()).pathname, '/login');
  const closed = new Promise((resolve) => popup.once('close', resolve));
  await popup.fill('#stork-username', user.username);
  await popup.fill('#stork-password', user.password);
  await popup.click('#stork-login-submit');
  await closed;  // the login page posts stork:login to its opener and closes

  // The frame got the message but still cannot see the first-party cookie.
  await poll('the Continue prompt after the popup', async () => /Press Continue/.test(await accessMessage(a.frame)));
  assert.equal((await settledState(a.frame)).state, 'anonymous');

  const signedIn = await continueWithGrant(a.frame, sites.a.origin);
  assert.deepEqual([signedIn.via, signedIn.viewer], ['cookie', user.username]);

  const b = await openWidget(chromium.page, sites.b.url('/'));
  assert.equal(b.state.state, 'anonymous', 'no grant for other.test yet');
  assert.equal(b.state.continueVisible, true);
  const signedInB = await continueWithGrant(b.frame, sites.b.origin);
  assert.deepEqual([signedInB.via, signedInB.viewer], ['cookie', user.username]);
  await screenshot(chromium.page, 'matrix-chromium-storage-access-continue');
});

test('second visit to A: signed in on first paint through the Storage Access Headers', async () => {
  const widgetDocs = [];
  const meStatuses = [];
  const onResponse = async (response) => {
    const url = new URL(response.url());
    if (url.origin !== sites.stork.origin) return;
    if (url.pathname === '/widget') {
      widgetDocs.push({
        requestState: await response.request().headerValue('sec-fetch-storage-access'),
        activate: await response.headerValue('activate-storage-access'),
      });
    }
    if (url.pathname === '/api/me') meStatuses.push(response.status());
  };
  chromium.page.on('response', onResponse);
  try {
    await chromium.page.goto(sites.a.url('/'), { waitUntil: 'load' });
    const frame = await frameOf(chromium.page, '/widget');
    const state = await settledState(frame);
    assert.deepEqual([state.state, state.via, state.viewer], ['signed-in', 'cookie', user.username]);
    assert.equal(widgetDocs.length, 1);
    assert.equal(widgetDocs[0].activate, 'load', 'the server activated storage access for the frame');
    assert.equal(widgetDocs[0].requestState, 'inactive', 'the browser announced the grant');
    assert.deepEqual(meStatuses, [200], 'the very first /api/me was signed in: no click, no requestStorageAccess()');
    assert.equal(await frame.evaluate(() => document.hasStorageAccess()), true);
    await screenshot(chromium.page, 'matrix-chromium-storage-access-second-visit');
  } finally {
    chromium.page.off('response', onResponse);
  }
});

test('cookie lab on A with a grant: the lab answers the Storage Access Headers, so the unpartitioned cookie round-trips on load', async () => {
  // The lab activates a granted storage access itself (Activate-Storage-Access:
  // retry, then load), as the widget does: no click is needed any more.
  const { lab } = await labResult(chromium.page, sites.a.url('/lab.html'));
  assert.deepEqual(labVerdict(lab), { unpartitionedCookie: true, partitionedCookie: true, hasStorageAccess: true, framed: true });
  await screenshot(chromium.page, 'lab-chromium-storage-access', '#lab');
});

test('Storage Access Headers: retry only for a registered publisher origin, load when active, Vary', async () => {
  const widget = sites.stork.origin + '/widget?product=1337&publisher=pub-a';
  const ask = (state, origin) => fetchRaw(widget, { headers: { 'Sec-Fetch-Storage-Access': state, ...(origin ? { Origin: origin } : {}) } });
  const registered = await ask('inactive', sites.a.origin);
  assert.equal(registered.headers['activate-storage-access'], 'retry; allowed-origin="' + sites.a.origin + '"');
  assert.match(registered.headers.vary || '', /Sec-Fetch-Storage-Access/);
  assert.equal((await ask('inactive', sites.rogue.origin)).headers['activate-storage-access'], undefined, 'unregistered origin');
  assert.equal((await ask('inactive', sites.b.origin)).headers['activate-storage-access'], undefined, 'another publisher\'s origin');
  assert.equal((await ask('inactive', null)).headers['activate-storage-access'], undefined, 'no Origin');
  assert.equal((await ask('active', sites.a.origin)).headers['activate-storage-access'], 'load');
  assert.equal((await ask('none', sites.a.origin)).headers['activate-storage-access'], undefined);
});

test('signed in by the publisher: on first paint and after a reload, out after Stork.signOut(); A\'s token on B\'s page is refused', async () => {
  // A still has its storage access grant and the visitor's own session:
  // the publisher's reader replaces it, in the unpartitioned cookie the
  // grant lets the frame use.
  const carried = await checkPublisherIdentity({ page: chromium.page }, sites);
  assert.deepEqual(carried, { firstPaint: 'cookie', afterReload: 'cookie' });
});
