// Matrix row: Firefox ESR with its default Total Cookie Protection, driven
// over WebDriver BiDi, over HTTPS. Firefox sends the widget's cookies in the
// frame but keeps a separate jar per top-level site: the login holds on
// publisher.test and is absent on other.test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSites } from './lib/sites.js';
import { launchFirefox } from './lib/browsers.js';
import { openWidget, loginInFrame, frameStorage, productFromFrame, screenshot } from './lib/widget.js';
import { checkPublisherIdentity } from './lib/identity.js';
import { labResult, labVerdict } from './lib/checks.js';

let sites;
let firefox;

before(async () => {
  sites = await startSites();
  firefox = await launchFirefox();
});

after(async () => {
  await firefox?.close();
  await sites?.stop();
});

test('logged in on A after a reload; logged out on B (partitioned per site)', async () => {
  const user = sites.stork.user();
  const a = await openWidget(firefox.page, sites.a.url('/'));
  assert.equal(a.state.state, 'anonymous');
  // "Keep me signed in" ticked: a cookie works here, so nothing goes to storage.
  await loginInFrame(a.frame, user, { remember: true });
  assert.deepEqual(await frameStorage(a.frame), {}, 'no refresh token stored where a cookie works');

  const reloaded = await openWidget(firefox.page, sites.a.url('/'));
  assert.deepEqual([reloaded.state.state, reloaded.state.viewer], ['signed-in', user.username]);
  // The classic cookie arrives, but only within publisher.test's jar.
  assert.equal(reloaded.state.via, 'cookie');
  assert.equal(reloaded.state.mode, 'Signed in on this site only', 'the widget does not promise a shared login');
  assert.equal((await productFromFrame(reloaded.frame)).viewer.username, user.username);
  await screenshot(firefox.page, 'matrix-firefox');

  const b = await openWidget(firefox.page, sites.b.url('/'));
  assert.equal(b.state.state, 'anonymous', 'other.test has its own cookie jar');
});

test('cookie lab on A: both cookies round-trip (inside the partition), no storage access', async () => {
  const { lab } = await labResult(firefox.page, sites.a.url('/lab.html'));
  assert.deepEqual(labVerdict(lab), { unpartitionedCookie: true, partitionedCookie: true, hasStorageAccess: false, framed: true });
  assert.match(lab.userAgent, /Firefox\//);
  assert.equal(lab.localStorage, true, 'partitioned, but available');
  await screenshot(firefox.page, 'lab-firefox', '#lab');
});

test('signed in by the publisher: on first paint and after a reload, out after Stork.signOut(); A\'s token on B\'s page is refused', async () => {
  const carried = await checkPublisherIdentity({ page: firefox.page }, sites);
  assert.deepEqual(carried, { firstPaint: 'cookie', afterReload: 'cookie' });
});
