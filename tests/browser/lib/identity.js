// Publisher-asserted identity in the matrix: each publisher's backend holds
// an ES256 key (registered with `stork publisher key add`) and mints tokens
// with Node's crypto, as a publisher's server would; the publisher page
// hands them to the loader. One check, run by every matrix row.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, randomUUID } from 'node:crypto';
import { openWidget, waitForState, poll, widgetState } from './widget.js';

// A P-256 key pair: the public half for Stork, the private half for minting.
export function makePublisherKey(publisher) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publisher,
    kid: publisher + '-matrix',
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }),
    privateKey,
  };
}

// A compact JWS of the contract's claims, valid for five minutes.
export function mintToken(key, audience, sub, claims = {}) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = part({ alg: 'ES256', kid: key.kid, typ: 'JWT' }) + '.' +
    part({ iss: key.publisher, aud: audience, sub, iat: now, exp: now + 300, jti: randomUUID(), given_name: 'Reader ' + sub, ...claims });
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return input + '.' + signature.toString('base64url');
}

// The row's identity scenario. browser: {page, open}: page.evaluate runs in
// the top-level page, open(url) answers {frame, state} (default: the
// Playwright/Puppeteer openWidget). Returns what carried the session (via)
// on first paint and after a reload, for the matrix note.
export async function checkPublisherIdentity(browser, sites) {
  const page = browser.page;
  const open = browser.open || ((url) => openWidget(page, url));
  const key = sites.keys['pub-a'];
  const mint = (sub, claims) => mintToken(key, sites.stork.origin, sub, claims);
  const sub = 'r-' + randomUUID().slice(0, 8);

  // Server-rendered page: the token on the script tag, signed in on first paint.
  const first = await open(sites.a.url('/embed?token=' + mint(sub)));
  assert.equal(first.state.state, 'signed-in', 'signed in on first paint');
  assert.equal(first.state.assertedBy, 'pub-a');
  assert.match(first.state.mode, /^Signed in through /);
  assert.match(first.state.viewer, /^~pub-a~/);
  const viewer = first.state.viewer;

  // A reload renders a fresh token: the same account again.
  const reloaded = await open(sites.a.url('/embed?token=' + mint(sub)));
  assert.deepEqual([reloaded.state.state, reloaded.state.viewer], ['signed-in', viewer], 'signed in after a reload');

  // The page signs its reader out.
  await page.evaluate(() => window.Stork.signOut());
  await waitForState(reloaded.frame, 'anonymous');

  // A single-page app: identify() called before the loader ran is honoured...
  const spa = await open(sites.a.url('/spa?token=' + mint(sub)));
  assert.deepEqual([spa.state.state, spa.state.viewer], ['signed-in', viewer], 'a queued identify() signs in');
  // ...and a token for another reader replaces the session.
  await page.evaluate((t) => window.Stork.identify(t), mint(sub + '-b'));
  const other = await poll('the other reader', async () => {
    const s = await widgetState(spa.frame);
    return s.state === 'signed-in' && s.viewer && s.viewer !== viewer ? s : null;
  });
  assert.match(other.viewer, /^~pub-a~/);
  await page.evaluate(() => window.Stork.signOut());
  await waitForState(spa.frame, 'anonymous');

  // Publisher A's token on publisher B's page: refused (the page's origin
  // is not one of A's), the widget stays anonymous.
  const foreign = await open(sites.b.url('/embed?token=' + mint(sub)));
  // (An older sign-in of another test may still show; it must not be A's reader.)
  assert.doesNotMatch(foreign.state.viewer, /^~pub-a~/, 'a token passed by another origin is refused');

  return { firstPaint: first.state.via, afterReload: reloaded.state.via };
}
