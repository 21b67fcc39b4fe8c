// Checks shared by the matrix files: the cookie lab's verdict, a rogue page
// that must not be able to frame the widget, and a server-side logout seen
// by a plain HTTP client.
import assert from 'node:assert/strict';
import { poll, frameOf } from './widget.js';
import { fetchRaw } from './stork.js';

// Opens the publisher's page framing /lab and answers window.storkLab.
export async function labResult(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  const frame = await frameOf(page, '/lab');
  await poll('the lab to finish', () => frame.evaluate(() => document.body.dataset.labState === 'done'));
  return { frame, lab: await frame.evaluate(() => JSON.parse(JSON.stringify(window.storkLab))) };
}

// The part of the lab's JSON that the matrix pins down per configuration.
export function labVerdict(lab) {
  return {
    unpartitionedCookie: lab.unpartitionedCookie,
    partitionedCookie: lab.partitionedCookie,
    hasStorageAccess: lab.hasStorageAccess,
    framed: lab.framed,
  };
}

// Playwright only: the page loads, the loader makes its iframe, and the
// widget document never runs in it (CSP frame-ancestors or a 403 page).
export async function assertCannotFrame(page, url, expectedStatus) {
  const widgetResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/widget');
  await page.goto(url, { waitUntil: 'load' });
  const response = await widgetResponse;
  assert.equal(response.status(), expectedStatus, 'status of the widget document for ' + url);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('iframe').count(), 1, 'the loader made its frame');
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const state = await frame.evaluate(() => document.body && document.body.dataset.storkState).catch(() => undefined);
    assert.equal(state, undefined, 'the widget must not run inside ' + frame.url());
  }
}

// What the server says about a session cookie replayed outside the browser.
export async function viewerForCookie(widgetOrigin, name, value) {
  const res = await fetchRaw(widgetOrigin + '/products/1337.json', { headers: { Cookie: name + '=' + value } });
  assert.equal(res.status, 200);
  return res.json.viewer;
}
