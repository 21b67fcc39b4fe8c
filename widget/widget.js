/*
 * The Stork product card, inside the publisher's iframe on Stork's origin.
 *
 * What a third-party frame may remember depends on the browser, so signing in
 * is tried in this order: an existing session cookie; storage access, which
 * lets a session made on Stork's own site be used here; the login form, which
 * sets a classic and a partitioned cookie; and, where no cookie survives at
 * all, a bearer token that lives only in this page's memory, or, when the
 * visitor asked to stay signed in and the frame keeps its own storage, a
 * refresh token kept there (kept_sign_in.js).
 */
import {
  request, messageOf, setText, cookieRoundTrip, loginErrorText, retrySeconds, framed, topLevelOrigin,
} from './common.js';
import {
  canKeep, hasKeptSignIn, keepSignIn, forgetKeptSignIn, resumeKeptSignIn, onKeptSignInChange,
} from './kept_sign_in.js';
import { mountAccountPanel } from './account-panel.js';
import { listenToPage, firstWord } from './page_identity.js';

const params = new URLSearchParams(location.search);
const productId = params.get('product') || '';
const publisher = params.get('publisher') || '';
const productPath = '/products/' + encodeURIComponent(productId) + '.json';

const MODES = {
  'cookie': ['Signed in on all sites', 'This browser shares your Stork sign-in with every site that shows Stork.'],
  'partitioned-cookie': ['Signed in on this site only', 'This browser keeps a separate Stork sign-in for each site.'],
  'kept': ['Signed in on this site only', 'This browser keeps no cookies for Stork here: your sign-in is kept in this site’s storage for Stork.'],
  'token': ['Signed in for this page only', 'This browser keeps no cookies for Stork here: reloading the page signs you out.'],
};

const $ = (id) => document.getElementById(id);
const ui = {
  main: document.querySelector('.stork-card'),
  loading: $('stork-loading'),
  error: $('stork-error'),
  errorText: $('stork-error-text'),
  retry: $('stork-retry'),
  notFound: $('stork-notfound'),
  product: $('stork-product'),
  image: $('stork-image'),
  brand: $('stork-brand'),
  name: $('stork-name'),
  price: $('stork-price'),
  ratingFill: $('stork-rating-fill'),
  ratingText: $('stork-rating-text'),
  anonymous: $('stork-anonymous'),
  access: $('stork-access'),
  accessMsg: $('stork-access-msg'),
  continueBtn: $('stork-continue'),
  popupBtn: $('stork-popup'),
  form: $('stork-login-form'),
  username: $('stork-username'),
  password: $('stork-password'),
  remember: $('stork-remember'),
  submit: $('stork-login-submit'),
  loginError: $('stork-login-error'),
  cookieNote: $('stork-cookie-note'),
  signedIn: $('stork-signed-in'),
  viewerName: document.querySelector('.stork-viewer-name'),
  mode: $('stork-mode'),
  stars: Array.from(document.querySelectorAll('button[data-stars]')),
  wishlist: $('stork-wishlist'),
  wishlistText: $('stork-wishlist-text'),
  logout: $('stork-logout'),
  actionError: $('stork-action-error'),
};

// The session as this page knows it. The token is set only in cookieless
// mode and is never written to any storage (only a kept sign-in's refresh
// token is, by kept_sign_in.js).
let csrf = '';
let token = '';
let via = '';
let user = null;
let product = null;

// Set when the publisher vouches for the signed-in account (/api/me's
// asserted_by): {publisher, name}.
const asserted = { by: null };

let busy = false;
let cookieCheck = null;
let loginLockTimer = 0;

function api(method, path, body) {
  const headers = {};
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (token) headers.Authorization = 'Bearer ' + token;
  return request(method, path, { body, headers });
}

// ---- Rendering --------------------------------------------------------

function show(state) {
  ui.loading.hidden = state !== 'loading';
  ui.error.hidden = state !== 'error';
  ui.notFound.hidden = state !== 'not-found';
  ui.product.hidden = state !== 'anonymous' && state !== 'signed-in';
  ui.anonymous.hidden = state !== 'anonymous';
  ui.signedIn.hidden = state !== 'signed-in';
  ui.main.setAttribute('aria-busy', String(state === 'loading'));

  const body = document.body.dataset;
  body.storkState = state;
  body.storkVia = state === 'signed-in' ? via : '';
  body.storkViewer = state === 'signed-in' && user ? user.username : '';
  body.storkAssertedBy = state === 'signed-in' && asserted.by ? asserted.by.publisher : '';
}

function formatPrice(price) {
  if (!price || typeof price.amount !== 'number') return '';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: price.currency }).format(price.amount);
  } catch {
    return price.amount.toFixed(2) + ' ' + (price.currency || '');
  }
}

function renderProduct(p) {
  if (typeof p.image === 'string' && p.image) ui.image.src = p.image;
  ui.image.alt = p.name || '';
  ui.brand.textContent = p.brand || '';
  ui.name.textContent = p.name || '';
  ui.price.textContent = formatPrice(p.price);

  const average = Math.min(5, Math.max(0, Number(p.rating && p.rating.average) || 0));
  const count = Number(p.rating && p.rating.count) || 0;
  ui.ratingFill.style.width = (count ? average / 5 * 100 : 0) + '%';
  ui.ratingText.replaceChildren();
  if (count) {
    const value = document.createElement('strong');
    value.textContent = average.toFixed(1);
    const outOf = document.createElement('span');
    outOf.className = 'stork-visually-hidden';
    outOf.textContent = ' out of 5,';
    const n = document.createElement('span');
    n.className = 'stork-rating-count';
    n.textContent = ' ' + count.toLocaleString() + (count === 1 ? ' rating' : ' ratings');
    ui.ratingText.append(value, outOf, n);
  } else {
    ui.ratingText.textContent = 'No ratings yet';
  }
}

function showMode(key) {
  const [label, why] = asserted.by
    ? ['Signed in through ' + asserted.by.name, 'You are signed in with your account on ' + asserted.by.name + '.']
    : MODES[key] || ['Signed in', ''];
  ui.mode.textContent = label;
  ui.mode.title = why;
  ui.mode.dataset.via = via;
}

// Firefox (Total Cookie Protection) sends the classic cookie to a frame but
// keeps it in a jar per top-level site; only a frame with storage access
// really shares it with other sites.
async function describeCookieMode() {
  if (!framed || asserted.by || typeof document.hasStorageAccess !== 'function') return;
  let shared = true;
  try { shared = await document.hasStorageAccess(); } catch { return; }
  if (!shared && via === 'cookie') showMode('partitioned-cookie');
}

function renderViewer(viewer) {
  ui.viewerName.textContent = viewer.first || (user && user.first) || viewer.username;
  showMode(via);
  if (via === 'cookie') describeCookieMode();

  const rating = typeof viewer.rating === 'number' ? viewer.rating : 0;
  for (const btn of ui.stars) {
    const n = Number(btn.dataset.stars);
    btn.setAttribute('aria-pressed', String(n === rating));
    btn.classList.toggle('is-filled', n <= rating);
  }
  ui.wishlist.setAttribute('aria-pressed', String(Boolean(viewer.wishlisted)));
  ui.wishlistText.textContent = viewer.wishlisted ? 'On your wishlist' : 'Add to wishlist';
}

// One place decides the visible state: the product JSON and its viewer.
function render(p) {
  product = p;
  renderProduct(p);
  if (p.viewer) {
    renderViewer(p.viewer);
    show('signed-in');
  } else {
    enterAnonymous(user ? 'Your Stork session has ended. Please sign in again.' : '');
  }
}

function fail(message) {
  ui.errorText.textContent = message;
  show('error');
}

// A kept sign-in's access token may have expired while the page slept:
// renew it once before believing the session is gone.
async function renewKept() {
  if (via !== 'kept') return false;
  const kept = await resumeKeptSignIn().catch(() => null);
  if (kept) acceptKept(kept);
  return Boolean(kept);
}

async function reload() {
  let res = await api('GET', productPath);
  if (res.status === 200 && res.data && !res.data.viewer && await renewKept()) {
    res = await api('GET', productPath);
  }
  if (res.status === 404) {
    show('not-found');
    return;
  }
  if (res.status !== 200 || !res.data) {
    throw new Error(messageOf(res, 'Stork could not load this product right now.'));
  }
  render(res.data);
}

// ---- Session ----------------------------------------------------------

function acceptSession(me) {
  csrf = me.csrf || csrf;
  user = me.user || user;
  via = (me.session && me.session.via) || (token ? 'token' : 'cookie');
  if (via === 'token' && hasKeptSignIn()) via = 'kept';
  asserted.by = me.asserted_by || null;
}

// A kept sign-in's new access token (at load, or renewed before it expires).
function acceptKept(kept) {
  token = kept.token;
  csrf = kept.csrf || '';
  user = kept.user || user;
  via = 'kept';
}

function forgetSession() {
  csrf = '';
  token = '';
  via = '';
  user = null;
  asserted.by = null;
  forgetKeptSignIn();
}

function enterAnonymous(message) {
  const wasAnonymous = document.body.dataset.storkState === 'anonymous';
  forgetSession();
  show('anonymous');
  setText(ui.loginError, message);
  startCookieCheck();
  if (!wasAnonymous) offerStorageAccess();
}

async function start() {
  show('loading');
  if (!productId) {
    show('not-found');
    return;
  }
  try {
    // The loader announced a token from the page: signed in on first paint.
    const word = await firstWord();
    if (word && word.token) await signInThroughPage(word);
    if (word && word.signOut) await signOutThroughPage();
    const [productRes, meRes] = await Promise.all([api('GET', productPath), api('GET', '/api/me')]);
    if (productRes.status === 404) {
      show('not-found');
      return;
    }
    if (productRes.status !== 200 || !productRes.data) {
      fail(messageOf(productRes, 'Stork could not load this product right now.'));
      return;
    }
    if (meRes.status === 200 && meRes.data) {
      acceptSession(meRes.data);
      // A cookie works after all (the visitor allowed it): storage is not needed.
      if (via !== 'kept') forgetKeptSignIn();
    } else if (hasKeptSignIn()) {
      const kept = await resumeKeptSignIn().catch(() => null);
      if (kept) {
        acceptKept(kept);
        await reload();
        return;
      }
    }
    render(productRes.data);
  } catch (err) {
    fail(err.message);
  }
}

// ---- Signed in by the publisher's page (page_identity.js) --------------

// The same session as a login. Asked for cookieless, the answer carries
// both the cookies and the bearer token: the cookie is used where it comes
// back, the token (in memory only) where it does not. A token works once,
// so there is no second try as the login form has.
async function signInThroughPage(word) {
  const res = await api('POST', '/api/identity', {
    token: word.token,
    cookieless: true,
    publisher,
    top_origin: topLevelOrigin() || undefined,
    page_origin: word.origin,
  });
  if (res.status === 200 && res.data) {
    forgetKeptSignIn();
    csrf = res.data.csrf || '';
    token = '';
    let me = await api('GET', '/api/me');
    if (me.status !== 200) {
      token = res.data.token || '';
      me = await api('GET', '/api/me');
    }
    if (me.status === 200 && me.data) {
      acceptSession(me.data);
      return true;
    }
  }
  // Refused (another card of this page used the token first, say): keep
  // whatever session there is.
  token = '';
  const me = await api('GET', '/api/me');
  if (me.status === 200 && me.data) acceptSession(me.data);
  return false;
}

// The page signed its reader out: so does the session the page's
// publisher vouched for. A Stork sign-in of the reader's own is not the
// page's to end.
async function signOutThroughPage() {
  if (!user) {
    const me = await api('GET', '/api/me');
    if (me.status === 200 && me.data) acceptSession(me.data);
  }
  if (!asserted.by) return;
  await send('POST', '/api/logout');
  forgetSession();
}

// Words after the first paint: a single-page app signed its reader in or out.
async function onPageWord(word) {
  try {
    if (word.signOut) {
      await signOutThroughPage();
    } else if (word.token) {
      await signInThroughPage(word);
    }
    await reload();
  } catch (err) {
    setText(ui.actionError, err.message);
  }
}

// ---- Storage access (sessions made on Stork's own site) ---------------

async function storageAccessPermission() {
  try {
    return (await navigator.permissions.query({ name: 'storage-access' })).state;
  } catch {
    return 'unknown';
  }
}

// Resolves to 'signed-in', 'denied' or 'no-session'.
async function useStorageAccess() {
  try {
    await document.requestStorageAccess();
  } catch {
    return 'denied';
  }
  const me = await api('GET', '/api/me');
  if (me.status !== 200 || !me.data) return 'no-session';
  acceptSession(me.data);
  await reload();
  return 'signed-in';
}

async function offerStorageAccess() {
  ui.access.hidden = true;
  ui.popupBtn.hidden = true;
  setText(ui.accessMsg, '');
  if (typeof document.hasStorageAccess !== 'function') return;
  let has = true;
  try { has = await document.hasStorageAccess(); } catch { return; }
  if (has) return;
  // A grant from an earlier visit may be used without asking for a click.
  if (await storageAccessPermission() === 'granted') {
    try {
      if (await useStorageAccess() !== 'denied') return;
    } catch {
      // Fall through: the button below still works.
    }
  }
  if (document.body.dataset.storkState === 'anonymous') ui.access.hidden = false;
}

async function onContinue() {
  if (busy) return;
  busy = true;
  ui.continueBtn.disabled = true;
  setText(ui.accessMsg, '');
  try {
    const result = await useStorageAccess();
    if (result === 'signed-in') return;
    setText(ui.accessMsg, result === 'denied'
      ? 'Your browser first needs you to sign in on Stork’s own site.'
      : 'You are not signed in to Stork in this browser yet.');
    ui.popupBtn.hidden = false;
  } catch (err) {
    setText(ui.accessMsg, err.message);
  } finally {
    busy = false;
    ui.continueBtn.disabled = false;
  }
}

function onPopup() {
  const url = new URL('/login', location.origin);
  if (publisher) url.searchParams.set('publisher', publisher);
  const win = window.open(url.href, 'stork-login', 'popup,width=440,height=620');
  setText(ui.accessMsg, win
    ? 'Finish signing in in the Stork window, then come back here.'
    : 'Your browser blocked the Stork window. Allow pop-ups for this site, or sign in below.');
}

async function onMessage(event) {
  if (event.origin !== location.origin) return;
  if (!event.data || event.data.type !== 'stork:login') return;
  if (document.body.dataset.storkState !== 'anonymous') return;
  // Where the browser already shares the new session, no click is needed.
  try {
    const me = await api('GET', '/api/me');
    if (me.status === 200 && me.data) {
      acceptSession(me.data);
      await reload();
      return;
    }
  } catch {
    // Offer the button anyway; it reports its own errors.
  }
  ui.access.hidden = false;
  ui.popupBtn.hidden = true;
  setText(ui.accessMsg, 'You are signed in on Stork. Press Continue to use that sign-in here.');
  ui.continueBtn.focus();
}

// ---- Cookie detection and the login form ------------------------------

function startCookieCheck() {
  if (!cookieCheck) cookieCheck = runCookieCheck();
  return cookieCheck;
}

// true: some cookie survives in this frame; false: none does; null: unknown.
async function runCookieCheck() {
  const result = await cookieRoundTrip();
  if (!result) return null;
  const works = result.unpartitioned || result.partitioned;
  if (!works && canKeep()) {
    ui.cookieNote.textContent = 'This browser keeps no cookies for Stork here. Tick “Keep me signed in” to stay signed in on this site; otherwise you stay signed in while this page is open.';
  }
  ui.cookieNote.hidden = works;
  return works;
}

function cookiesWork() {
  const timeout = new Promise((resolve) => setTimeout(resolve, 2000, null));
  return Promise.race([startCookieCheck(), timeout]);
}

// Logs in and asks the server which session it now sees, if any.
async function signIn(username, password, cookieless) {
  const res = await api('POST', '/api/login', {
    username,
    password,
    remember: ui.remember.checked,
    cookieless,
    publisher,
    top_origin: topLevelOrigin() || undefined,
  });
  if (res.status !== 200 || !res.data) return res;
  csrf = res.data.csrf || '';
  token = cookieless ? res.data.token || '' : '';
  user = res.data.user || null;
  via = token ? 'token' : 'cookie';
  // Only a cookieless sign-in with "Keep me signed in" comes with a refresh token.
  forgetKeptSignIn();
  if (cookieless && keepSignIn(res.data)) via = 'kept';
  const me = await api('GET', '/api/me');
  res.session = me.status === 200 && me.data ? me.data : null;
  return res;
}

function lockLogin(seconds) {
  clearTimeout(loginLockTimer);
  ui.submit.disabled = true;
  loginLockTimer = setTimeout(() => {
    loginLockTimer = 0;
    ui.submit.disabled = busy;
  }, seconds * 1000);
}

function setFormBusy(on) {
  busy = on;
  ui.form.setAttribute('aria-busy', String(on));
  ui.submit.disabled = on || loginLockTimer !== 0;
  ui.username.readOnly = on;
  ui.password.readOnly = on;
  ui.remember.disabled = on;
  ui.submit.textContent = on ? 'Signing in…' : 'Sign in';
}

async function onLogin(event) {
  event.preventDefault();
  if (busy || loginLockTimer) return;
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!username || !password) {
    setText(ui.loginError, 'Enter your username and password.');
    (username ? ui.password : ui.username).focus();
    return;
  }
  setText(ui.loginError, '');
  setFormBusy(true);
  try {
    const cookieless = (await cookiesWork()) === false;
    let res = await signIn(username, password, cookieless);
    if (res.status === 200 && !res.session && !cookieless) {
      // The check can miss a browser that drops the session cookie itself.
      res = await signIn(username, password, true);
    }
    if (res.status !== 200 || !res.data) {
      if (res.status === 429) lockLogin(retrySeconds(res));
      setText(ui.loginError, loginErrorText(res));
      if (res.status === 401) ui.password.select();
      return;
    }
    if (res.session) acceptSession(res.session);
    ui.password.value = '';
    await reload();
  } catch (err) {
    setText(ui.loginError, err.message);
  } finally {
    setFormBusy(false);
  }
}

// ---- Signed-in actions ------------------------------------------------

// Sends a change; a stale CSRF token is refreshed once before giving up.
async function send(method, path, body) {
  let res = await api(method, path, body);
  if (res.status === 403 && res.data && res.data.error === 'csrf') {
    const me = await api('GET', '/api/me');
    if (me.status === 200 && me.data) {
      acceptSession(me.data);
      res = await api(method, path, body);
    }
  }
  if (res.status === 401 && await renewKept()) res = await api(method, path, body);
  return res;
}

async function change(method, path, body) {
  if (busy) return;
  busy = true;
  ui.signedIn.setAttribute('aria-busy', 'true');
  setText(ui.actionError, '');
  try {
    const res = await send(method, path, body);
    if (res.status === 401) {
      enterAnonymous('Your Stork session has ended. Please sign in again.');
    } else if (res.status === 200 && res.data && res.data.id !== undefined) {
      // The server answers with the updated product: no second request.
      render(res.data);
    } else {
      setText(ui.actionError, messageOf(res, 'That did not work. Please try again.'));
    }
  } catch (err) {
    setText(ui.actionError, err.message);
  } finally {
    busy = false;
    ui.signedIn.setAttribute('aria-busy', 'false');
  }
}

function onStar(event) {
  const btn = event.target.closest('button[data-stars]');
  if (!btn) return;
  const base = '/api/products/' + encodeURIComponent(productId);
  change('PUT', base + '/rating', { stars: Number(btn.dataset.stars) });
}

function onWishlist() {
  const on = Boolean(product && product.viewer && product.viewer.wishlisted);
  change(on ? 'DELETE' : 'PUT', '/api/products/' + encodeURIComponent(productId) + '/wishlist');
}

async function onLogout() {
  if (busy) return;
  busy = true;
  setText(ui.actionError, '');
  try {
    const res = await send('POST', '/api/logout');
    // 401: the session was already gone, which is what the visitor asked for.
    if (res.status !== 204 && res.status !== 200 && res.status !== 401) {
      setText(ui.actionError, messageOf(res, 'Signing out did not work. Please try again.'));
      return;
    }
    forgetSession();
    await reload();
    ui.username.focus();
  } catch (err) {
    setText(ui.actionError, err.message);
  } finally {
    busy = false;
  }
}

// ---- Sign-up popup and the account panel (account-panel.js) ----------

const account = {
  toggle: $('stork-account-toggle'),
  root: $('stork-account-panel'),
  signup: $('stork-signup'),
  panel: null,
};

// Like the login popup: a first-party visit; its stork:login message is
// handled by onMessage.
function onSignup() {
  const url = new URL('/signup', location.origin);
  if (publisher) url.searchParams.set('publisher', publisher);
  const win = window.open(url.href, 'stork-signup', 'popup,width=440,height=760');
  if (!win) setText(ui.loginError, 'Your browser blocked the Stork window. Allow pop-ups for this site.');
}

function closeAccountPanel() {
  account.root.hidden = true;
  account.toggle.setAttribute('aria-expanded', 'false');
}

function onAccountToggle() {
  if (!account.root.hidden) {
    closeAccountPanel();
    return;
  }
  account.root.hidden = false;
  account.toggle.setAttribute('aria-expanded', 'true');
  if (!account.panel) {
    account.panel = mountAccountPanel(account.root, {
      api: send,
      onCredentials(fresh) {
        csrf = fresh.csrf || csrf;
        if (token && fresh.token) token = fresh.token;
      },
      onSignedOut(message) {
        closeAccountPanel();
        forgetSession();
        reload().then(() => setText(ui.loginError, message)).catch((err) => fail(err.message));
      },
    });
  }
  account.panel.refresh();
}

// ---- Height reports to the embedding page -----------------------------

function reportHeight() {
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'stork:height', height }, '*');
  }).observe(document.documentElement);
}

// ---- Wiring -----------------------------------------------------------

if (framed) {
  document.documentElement.classList.add('stork-framed');
  if ('ResizeObserver' in window) reportHeight();
}
ui.image.addEventListener('error', () => ui.image.classList.add('is-broken'));
ui.image.addEventListener('load', () => ui.image.classList.remove('is-broken'));
ui.retry.addEventListener('click', start);
ui.continueBtn.addEventListener('click', onContinue);
ui.popupBtn.addEventListener('click', onPopup);
ui.form.addEventListener('submit', onLogin);
ui.signedIn.querySelector('.stork-stars').addEventListener('click', onStar);
ui.wishlist.addEventListener('click', onWishlist);
ui.logout.addEventListener('click', onLogout);
account.signup.addEventListener('click', onSignup);
account.toggle.addEventListener('click', onAccountToggle);
window.addEventListener('message', onMessage);
listenToPage(onPageWord);
onKeptSignInChange({
  renewed: acceptKept,
  lost: () => enterAnonymous('Your Stork session has ended. Please sign in again.'),
});

start();
