/*
 * Stork's first-party login page. The widget opens it as a popup when the
 * browser will only share Stork's session with a frame after the visitor has
 * used Stork's own site: signing in (or confirming) here is that visit.
 */
import { request, messageOf, setText, loginErrorText } from './common.js';

const publisher = new URLSearchParams(location.search).get('publisher') || '';
const $ = (id) => document.getElementById(id);
const ui = {
  loading: $('stork-loading'),
  already: $('stork-already'),
  viewerName: document.querySelector('.stork-viewer-name'),
  useAccount: $('stork-use-account'),
  logout: $('stork-logout'),
  alreadyError: $('stork-already-error'),
  form: $('stork-login-form'),
  username: $('stork-username'),
  password: $('stork-password'),
  remember: $('stork-remember'),
  submit: $('stork-login-submit'),
  loginError: $('stork-login-error'),
  done: $('stork-done'),
};

let csrf = '';
let user = null;
let busy = false;

function show(state) {
  ui.loading.hidden = state !== 'loading';
  ui.already.hidden = state !== 'signed-in';
  ui.form.hidden = state !== 'anonymous';
  ui.done.hidden = state !== 'done';
  document.body.dataset.storkState = state;
  document.body.dataset.storkViewer = user ? user.username : '';
  if (user) ui.viewerName.textContent = user.first || user.username;
}

// Tell the widget frame that opened this window, and only it: the exact
// origin keeps the message from any other page that might have opened us.
function finish() {
  show('done');
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage({ type: 'stork:login' }, location.origin);
    window.close();
  }
}

async function start() {
  try {
    const me = await request('GET', '/api/me');
    if (me.status === 200 && me.data) {
      csrf = me.data.csrf || '';
      user = me.data.user || null;
      show('signed-in');
      ui.useAccount.focus();
      return;
    }
  } catch {
    // Offer the form; submitting it reports the network error.
  }
  show('anonymous');
  ui.username.focus();
}

function setBusy(on) {
  busy = on;
  ui.form.setAttribute('aria-busy', String(on));
  ui.submit.disabled = on;
  ui.username.readOnly = on;
  ui.password.readOnly = on;
  ui.remember.disabled = on;
  ui.submit.textContent = on ? 'Signing in…' : 'Sign in';
}

async function onLogin(event) {
  event.preventDefault();
  if (busy) return;
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!username || !password) {
    setText(ui.loginError, 'Enter your username and password.');
    (username ? ui.password : ui.username).focus();
    return;
  }
  setText(ui.loginError, '');
  setBusy(true);
  try {
    const res = await request('POST', '/api/login', {
      body: { username, password, remember: ui.remember.checked, cookieless: false, publisher },
    });
    if (res.status !== 200 || !res.data) {
      setText(ui.loginError, loginErrorText(res));
      if (res.status === 401) ui.password.select();
      return;
    }
    ui.password.value = '';
    user = res.data.user || null;
    finish();
  } catch (err) {
    setText(ui.loginError, err.message);
  } finally {
    setBusy(false);
  }
}

async function onLogout() {
  setText(ui.alreadyError, '');
  try {
    const res = await request('POST', '/api/logout', { headers: { 'X-CSRF-Token': csrf } });
    if (res.status !== 204 && res.status !== 200 && res.status !== 401) {
      setText(ui.alreadyError, messageOf(res, 'Signing out did not work. Please try again.'));
      return;
    }
    csrf = '';
    user = null;
    show('anonymous');
    ui.username.focus();
  } catch (err) {
    setText(ui.alreadyError, err.message);
  }
}

ui.form.addEventListener('submit', onLogin);
ui.useAccount.addEventListener('click', finish);
ui.logout.addEventListener('click', onLogout);

start();
