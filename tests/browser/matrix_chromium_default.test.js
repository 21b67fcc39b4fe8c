// Matrix row: Chromium's default here, third-party cookies blocked (profile
// pref cookie_controls_mode pinned to 1), over HTTPS. A login inside the
// frame lives in the partitioned __Host-stork_psid cookie: it holds on
// publisher.test, is absent on other.test, where a second login works on its
// own without disturbing the first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSites } from './lib/sites.js';
import { launchChromium, CHROMIUM_PROFILES } from './lib/browsers.js';
import { openWidget, loginInFrame, frameStorage, productFromFrame, screenshot } from './lib/widget.js';
import { checkPublisherIdentity } from './lib/identity.js';
import { labResult, labVerdict } from './lib/checks.js';

let sites;
let chromium;

before(async () => {
  sites = await startSites();
  chromium = await launchChromium(CHROMIUM_PROFILES.default, { hostNames: true });
});

after(async () => {
  await chromium?.close();
  await sites?.stop();
});

test('logged in on A after a reload via the partitioned cookie; logged out on B, where a login works independently', async () => {
  const userA = sites.stork.user();
  const userB = sites.stork.user();
  const a = await openWidget(chromium.page, sites.a.url('/'));
  assert.equal(a.state.state, 'anonymous');
  // "Keep me signed in" ticked: the partitioned cookie works, so nothing goes to storage
  // (which Chromium blocks in this frame anyway).
  await loginInFrame(a.frame, userA, { remember: true });
  assert.equal(await frameStorage(a.frame), 'blocked');

  const reloaded = await openWidget(chromium.page, sites.a.url('/'));
  assert.deepEqual([reloaded.state.state, reloaded.state.via, reloaded.state.viewer],
    ['signed-in', 'partitioned-cookie', userA.username]);
  assert.equal(reloaded.state.mode, 'Signed in on this site only');

  // The session remembers where it was made.
  const sessions = await reloaded.frame.evaluate(async () => (await fetch('/api/sessions')).json());
  const current = sessions.sessions.find((s) => s.current);
  assert.equal(current.publisher, 'pub-a');
  assert.equal(current.top_site, 'https://publisher.test');

  const b = await openWidget(chromium.page, sites.b.url('/'));
  assert.equal(b.state.state, 'anonymous', 'the partitioned cookie of A is not sent under B');
  await loginInFrame(b.frame, userB);
  const bAgain = await openWidget(chromium.page, sites.b.url('/'));
  assert.deepEqual([bAgain.state.state, bAgain.state.via, bAgain.state.viewer],
    ['signed-in', 'partitioned-cookie', userB.username]);
  assert.equal((await productFromFrame(bAgain.frame)).viewer.username, userB.username);

  const aAgain = await openWidget(chromium.page, sites.a.url('/'));
  assert.deepEqual([aAgain.state.state, aAgain.state.viewer], ['signed-in', userA.username], 'A keeps its own login');
  await screenshot(chromium.page, 'matrix-chromium-default');
});

test('cookie lab on A: only the partitioned cookie round-trips', async () => {
  const { lab } = await labResult(chromium.page, sites.a.url('/lab.html'));
  assert.deepEqual(labVerdict(lab), { unpartitionedCookie: false, partitionedCookie: true, hasStorageAccess: false, framed: true });
  // Chromium blocks a third-party frame's localStorage along with its cookies.
  assert.equal(lab.localStorage, false);
  await screenshot(chromium.page, 'lab-chromium-default', '#lab');
});

test('signed in by the publisher: on first paint and after a reload, out after Stork.signOut(); A\'s token on B\'s page is refused', async () => {
  const carried = await checkPublisherIdentity({ page: chromium.page }, sites);
  assert.deepEqual(carried, { firstPaint: 'partitioned-cookie', afterReload: 'partitioned-cookie' });
});
