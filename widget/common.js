/* Helpers shared by Stork's own pages (the widget frame, login and lab). */

const NETWORK_ERROR = 'Stork could not be reached. Check your connection and try again.';

// Resolves to {status, data, retryAfter} for every HTTP answer, so callers can
// branch on the status; rejects only when no answer came at all.
export async function request(method, path, { body, headers = {} } = {}) {
  const init = {
    method,
    headers: { Accept: 'application/json', ...headers },
    credentials: 'same-origin',
    cache: 'no-store',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new Error(NETWORK_ERROR);
  }
  let data = null;
  if (res.status !== 204) {
    try { data = await res.json(); } catch { data = null; }
  }
  return { status: res.status, data, retryAfter: res.headers.get('Retry-After') };
}

export function messageOf(res, fallback) {
  const m = res.data && res.data.message;
  return typeof m === 'string' && m ? m : fallback;
}

// Seconds to wait after a 429, within reason whatever the header says.
export function retrySeconds(res) {
  return Math.min(300, Math.max(1, parseInt(res.retryAfter, 10) || 30));
}

export function loginErrorText(res) {
  switch (res.status) {
    case 401:
      return messageOf(res, 'Wrong username or password.');
    case 429:
      // A precise wait beats a server's generic "try again later".
      return parseInt(res.retryAfter, 10) > 0
        ? 'Too many sign-in attempts. Try again in ' + retrySeconds(res) + ' s.'
        : messageOf(res, 'Too many sign-in attempts. Try again later.');
    case 403:
      return messageOf(res, 'Stork could not verify this sign-in. Reload the page and try again.');
    default:
      return messageOf(res, 'Sign-in failed (error ' + res.status + '). Please try again.');
  }
}

export function setText(el, text) {
  el.textContent = text || '';
  el.hidden = !text;
}

export const framed = window.parent !== window;

// The origin in the address bar, as far as a frame can tell: Chromium lists
// its ancestors; elsewhere the referrer is the embedding page. '' = unknown.
export function topLevelOrigin() {
  if (!framed) return location.origin;
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length) return ancestors[ancestors.length - 1];
  try {
    return document.referrer ? new URL(document.referrer).origin : '';
  } catch {
    return '';
  }
}

// Cookies cannot be inspected from a frame that may not keep them, so the
// server sets two throw-away cookies and then reports which ones came back.
// Resolves to {unpartitioned, partitioned}, or null when the check failed.
export async function cookieRoundTrip() {
  try {
    await request('GET', '/api/cookie-check?step=set');
    const res = await request('GET', '/api/cookie-check?step=read');
    if (res.status !== 200 || !res.data) return null;
    return { unpartitioned: res.data.unpartitioned === true, partitioned: res.data.partitioned === true };
  } catch {
    return null;
  }
}
