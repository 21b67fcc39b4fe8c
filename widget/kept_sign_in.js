/*
 * "Keep me signed in" where the frame keeps no cookie but keeps its own
 * storage (WebKit with Intelligent Tracking Prevention): a refresh token in
 * this frame's localStorage, which the browser partitions per top-level
 * site. Only the refresh token is stored; the access token it buys lives in
 * memory for a few minutes. The server rotates the refresh token at every
 * use and ends the sign-in if a spent one comes back, so a copy taken from
 * storage is worth one use at most. Nothing is stored while a cookie works.
 */
import { request } from './common.js';

const KEY = 'stork:refresh';

const kept = {
  timer: 0,        // renews the access token shortly before it expires
  onRenewed: null, // (session) => void, set by the widget
  onLost: null,    // () => void: the sign-in ended while the page was open
};

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;  // blocked outright (some cookie settings block storage too)
  }
}

// Whether this frame could keep a sign-in at all.
export function canKeep() {
  const s = storage();
  if (!s) return false;
  try {
    s.setItem(KEY + ':probe', '1');
    s.removeItem(KEY + ':probe');
    return true;
  } catch {
    return false;
  }
}

export function hasKeptSignIn() {
  const s = storage();
  try { return Boolean(s && s.getItem(KEY)); } catch { return false; }
}

function save(refresh) {
  try { storage().setItem(KEY, refresh); } catch { /* then it lasts for this page only */ }
}

export function forgetKeptSignIn() {
  clearTimeout(kept.timer);
  kept.timer = 0;
  try { storage().removeItem(KEY); } catch { /* nothing was kept */ }
}

// Renewal is due a minute before the access token expires.
function schedule(expiresIn) {
  clearTimeout(kept.timer);
  const seconds = Math.max(15, (Number(expiresIn) || 0) - 60);
  kept.timer = setTimeout(async () => {
    const session = await resumeKeptSignIn();
    if (session) {
      if (kept.onRenewed) kept.onRenewed(session);
    } else if (kept.onLost) {
      kept.onLost();
    }
  }, seconds * 1000);
}

// After a sign-in that returned a refresh token.
export function keepSignIn(response) {
  if (!response || typeof response.refresh !== 'string') return false;
  save(response.refresh);
  schedule(response.expires_in);
  return true;
}

// Several tabs of the same site share this storage; one rotation at a time,
// or the second would present a token the first just spent (and the server
// would end the sign-in as stolen).
function oneAtATime(fn) {
  if (navigator.locks && typeof navigator.locks.request === 'function') {
    return navigator.locks.request(KEY, fn);
  }
  return fn();
}

// Trades the stored refresh token for {token, csrf, user, refresh, expires_in};
// null when there is none or the server refused it (then it is forgotten).
// Rejects when Stork could not be reached: the token is kept for next time.
export function resumeKeptSignIn() {
  return oneAtATime(async () => {
    let refresh = '';
    try { refresh = storage().getItem(KEY) || ''; } catch { refresh = ''; }
    if (!refresh) return null;
    const res = await request('POST', '/api/token', { body: { refresh } });
    if (res.status === 200 && res.data && typeof res.data.refresh === 'string') {
      keepSignIn(res.data);
      return res.data;
    }
    if (res.status === 401 || res.status === 400) forgetKeptSignIn();
    return null;
  });
}

export function onKeptSignInChange({ renewed, lost }) {
  kept.onRenewed = renewed;
  kept.onLost = lost;
}
