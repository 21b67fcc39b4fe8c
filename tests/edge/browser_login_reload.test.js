// The browser sign-in and reload check, through the edge: Debian's Chromium
// opens the demo publisher page that `deploy/cluster up` serves (HTTPS,
// nginx), signs in inside the widget frame (HTTPS, HTTP/2, nginx in front of
// two Stork processes), reloads, and is still signed in; the product JSON is
// personalized, whichever process answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, request } from './lib/cluster.js';
import { launchChromium, CHROMIUM_PROFILES } from '../browser/lib/browsers.js';
import { openWidget, frameOf, settledState, loginInFrame, productFromFrame, screenshot } from '../browser/lib/widget.js';

let cluster;

before(async () => {
  cluster = await startCluster();
});

after(async () => {
  if (cluster) {
    const stopped = await cluster.stop();
    assert.deepEqual(stopped.left, [], 'nothing left running');
  }
});

test('Chromium through the edge: sign in inside the widget on the demo page, reload, still signed in', async () => {
  const chromium = await launchChromium(CHROMIUM_PROFILES.default);
  try {
    const user = { username: cluster.env.DEMO_USER, password: cluster.env.DEMO_PASSWORD };
    const first = await openWidget(chromium.page, cluster.env.SITE_URL);
    assert.equal(first.state.state, 'anonymous');
    assert.ok(first.frame.url().startsWith(cluster.origin + '/widget?'), 'the frame comes from the edge: ' + first.frame.url());

    const signedIn = await loginInFrame(first.frame, user);
    assert.equal(signedIn.viewer, user.username);

    await chromium.page.reload({ waitUntil: 'load' });
    const frame = await frameOf(chromium.page, '/widget');
    const after = await settledState(frame);
    assert.equal(after.state, 'signed-in', 'still signed in after the reload');
    assert.equal(after.via, 'partitioned-cookie', 'third-party cookies blocked: the partitioned cookie');

    // Several reads from the frame: the edge spreads them over both
    // processes, and each one knows the session.
    for (let k = 0; k < 6; k++) {
      const product = await productFromFrame(frame);
      assert.equal(product.viewer && product.viewer.username, user.username);
    }
    await screenshot(chromium.page, 'edge-login-reload');
  } finally {
    await chromium.close();
  }
  const health = await request(cluster, { path: '/healthz' });
  assert.equal(health.status, 200);
});
