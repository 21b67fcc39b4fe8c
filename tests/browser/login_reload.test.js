// A login made inside the widget iframe survives a reload of the publisher
// page, in Chromium, without TLS: the publisher is http://127.0.0.1, the
// widget http://localhost (another site, which browsers treat as secure).
// Which cookie carries the session depends on the profile's third-party
// cookie setting, and each run asserts the one it must be.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStork, freePort } from './lib/stork.js';
import { startPublisherSite } from './lib/publisher.js';
import { launchChromium, CHROMIUM_PROFILES } from './lib/browsers.js';
import { openWidget, frameOf, settledState, loginInFrame, productFromFrame, screenshot } from './lib/widget.js';

let stork;
let site;

before(async () => {
  const publisherPort = await freePort();
  const publisherOrigin = 'http://127.0.0.1:' + publisherPort;
  stork = await startStork({ host: 'localhost', publishers: { pub: [publisherOrigin] }, users: 4 });
  site = await startPublisherSite({ hostName: '127.0.0.1', port: publisherPort, widgetOrigin: stork.origin, publisherKey: 'pub' });
  assert.equal(site.origin, publisherOrigin);
});

after(async () => {
  await site?.stop();
  await stork?.stop();
});

const RUNS = [
  { name: 'third-party cookies blocked (cookie_controls_mode 1)', prefs: CHROMIUM_PROFILES.default, via: 'partitioned-cookie', shot: 'login-reload-default' },
  { name: 'third-party cookies allowed (cookie_controls_mode 0)', prefs: CHROMIUM_PROFILES.thirdPartyAllowed, via: 'cookie', shot: 'login-reload-3p-allowed' },
];

for (const runCase of RUNS) {
  test(`Chromium, ${runCase.name}: login in the frame survives a reload via ${runCase.via}`, async () => {
    const chromium = await launchChromium(runCase.prefs);
    try {
      const user = stork.user();
      const first = await openWidget(chromium.page, site.url('/'));
      assert.equal(first.state.state, 'anonymous', 'a fresh profile starts signed out');

      const signedIn = await loginInFrame(first.frame, user);
      assert.equal(signedIn.viewer, user.username);

      await chromium.page.reload({ waitUntil: 'load' });
      const frame = await frameOf(chromium.page, '/widget');
      const after = await settledState(frame);
      assert.equal(after.state, 'signed-in', 'still signed in after the reload');
      assert.equal(after.viewer, user.username);
      assert.equal(after.via, runCase.via, 'the cookie that carried the session');

      const product = await productFromFrame(frame);
      assert.equal(product.id, 1337);
      assert.equal(product.viewer && product.viewer.username, user.username, 'product JSON is personalized');

      // The browser's own jar agrees: the partitioned cookie exists in both
      // runs, the classic one reaches the server only when allowed.
      const cookies = await chromium.context.cookies(stork.origin);
      const names = cookies.map((c) => c.name);
      assert.ok(names.includes('__Host-stork_psid'), 'partitioned cookie stored: ' + names.join(','));
      await screenshot(chromium.page, runCase.shot);
    } finally {
      await chromium.close();
    }
  });
}
