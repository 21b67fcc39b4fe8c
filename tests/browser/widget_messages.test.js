// The widget acts on a "stork:login" message only when it comes from its
// own origin (the first-party login popup). The publisher page, which frames
// the widget, must not be able to make it act: it posts the same message and
// the widget must not even look it up (no /api/me request), while the same
// message from the widget's own origin is acted on (the control).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStork, freePort } from './lib/stork.js';
import { startPublisherSite } from './lib/publisher.js';
import { launchChromium, CHROMIUM_PROFILES } from './lib/browsers.js';
import { openWidget, poll } from './lib/widget.js';

let stork;
let site;
let chromium;

before(async () => {
  const publisherPort = await freePort();
  const publisherOrigin = 'http://127.0.0.1:' + publisherPort;
  stork = await startStork({ host: 'localhost', publishers: { pub: [publisherOrigin] }, users: 1 });
  site = await startPublisherSite({ hostName: '127.0.0.1', port: publisherPort, widgetOrigin: stork.origin, publisherKey: 'pub' });
  chromium = await launchChromium(CHROMIUM_PROFILES.default);
});

after(async () => {
  await chromium?.close();
  await site?.stop();
  await stork?.stop();
});

test('a stork:login message from the publisher page is ignored; from the widget origin it is acted on', async () => {
  const widget = await openWidget(chromium.page, site.url('/'));
  assert.equal(widget.state.state, 'anonymous');

  let meRequests = 0;
  chromium.page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/me') meRequests += 1;
  });

  // Forged: the top-level publisher page posts to the frame with "*".
  await chromium.page.evaluate(() => {
    document.querySelector('iframe').contentWindow.postMessage({ type: 'stork:login' }, '*');
  });
  // Control, queued after the forged one: the frame posts to itself, from
  // its own origin. Messages are delivered in order, so by the time the
  // control's /api/me goes out, a forged one would have gone out first.
  await widget.frame.evaluate(() => window.postMessage({ type: 'stork:login' }, location.origin));
  await poll('the control message to trigger /api/me', () => meRequests >= 1);
  // Give a (wrongly) accepted forged message's request time to show up too.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(meRequests, 1, 'only the same-origin message made the widget look up the session');
});
