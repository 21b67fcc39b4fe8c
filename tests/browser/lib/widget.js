// Drives the widget iframe the same way in Playwright (Chromium) and
// Puppeteer (Firefox): both expose frames with evaluate(), click() and fill
// or type, so the helpers only poll with evaluate() and use real clicks.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export const SHOT_DIR = process.env.STORK_SHOT_DIR || '';

export async function poll(what, fn, { timeout = 15_000, interval = 50 } = {}) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;  // a frame that is navigating throws; try again
    }
    if (Date.now() > until) {
      throw new Error('timed out waiting for ' + what + ' (last: ' + (last instanceof Error ? last.message : JSON.stringify(last)) + ')');
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

// The first iframe of the page whose URL has this path, once it exists.
export async function frameOf(page, pathname = '/widget') {
  return poll('a frame at ' + pathname, async () => {
    for (const frame of page.frames()) {
      try {
        if (new URL(frame.url()).pathname === pathname) return frame;
      } catch {
        // about:blank and the like
      }
    }
    return null;
  });
}

export async function widgetState(frame) {
  return frame.evaluate(() => {
    const d = document.body ? document.body.dataset : {};
    const visible = (id) => {
      const el = document.getElementById(id);
      return Boolean(el && !el.hidden && el.offsetParent !== null);
    };
    return {
      state: d.storkState || '',
      via: d.storkVia || '',
      viewer: d.storkViewer || '',
      assertedBy: d.storkAssertedBy || '',
      continueVisible: visible('stork-continue'),
      mode: (document.getElementById('stork-mode') || {}).textContent || '',
    };
  });
}

const SETTLED = new Set(['anonymous', 'signed-in', 'error', 'not-found']);

// Waits until the widget left "loading" and, when anonymous, finished
// deciding whether to offer storage access (its check is asynchronous).
export async function settledState(frame, { timeout = 15_000 } = {}) {
  let previous = '';
  let stableSince = 0;
  return poll('the widget to settle', async () => {
    const s = await widgetState(frame);
    if (!SETTLED.has(s.state)) return null;
    const key = JSON.stringify(s);
    if (key !== previous) {
      previous = key;
      stableSince = Date.now();
      return null;
    }
    // Unchanged for 400 ms: the storage-access check and cookie check are done.
    return Date.now() - stableSince >= 400 ? s : null;
  }, { timeout });
}

export async function waitForState(frame, state, { timeout = 15_000 } = {}) {
  return poll('widget state ' + state, async () => {
    const s = await widgetState(frame);
    if (s.state === 'error') throw new Error('widget shows an error');
    return s.state === state ? s : null;
  }, { timeout });
}

// Opens a publisher page and answers the widget frame and its settled state.
export async function openWidget(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  const frame = await frameOf(page, '/widget');
  const state = await settledState(frame);
  return { frame, state };
}

async function typeInto(frame, selector, text) {
  if (typeof frame.fill === 'function') {
    await frame.fill(selector, text);
  } else {
    await frame.click(selector, { count: 3 });
    await frame.type(selector, text);
  }
}

// Signs in through the form inside the frame, with real typing and clicks;
// remember ticks "Keep me signed in".
export async function loginInFrame(frame, user, { remember = false } = {}) {
  await typeInto(frame, '#stork-username', user.username);
  await typeInto(frame, '#stork-password', user.password);
  if (remember) await frame.click('#stork-remember');
  await frame.click('#stork-login-submit');
  return waitForState(frame, 'signed-in');
}

// What the frame keeps in its own localStorage ('blocked' when it may not).
export async function frameStorage(frame) {
  return frame.evaluate(() => {
    try {
      return Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]));
    } catch {
      return 'blocked';
    }
  });
}

export async function productFromFrame(frame) {
  return frame.evaluate(async () => {
    const res = await fetch('/products/1337.json', { credentials: 'same-origin', cache: 'no-store' });
    return res.json();
  });
}

// Saves a picture of the element (usually the widget iframe) for people.
export async function screenshot(page, name, selector = 'iframe') {
  if (!SHOT_DIR) return null;
  await mkdir(SHOT_DIR, { recursive: true });
  const file = path.join(SHOT_DIR, name + '.png');
  const el = await page.$(selector);
  if (el) await el.screenshot({ path: file });
  else await page.screenshot({ path: file });
  return file;
}
