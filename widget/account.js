/* The first-party account page: the same panel as in the widget, on the
 * first-party session cookie. */
import { request } from './common.js';
import { mountAccountPanel } from './account-panel.js';

const $ = (id) => document.getElementById(id);
const page = { csrf: '', user: null };

function api(method, path, body) {
  const headers = method === 'GET' ? {} : { 'X-CSRF-Token': page.csrf };
  return request(method, path, { body, headers });
}

function show(state, message) {
  $('stork-loading').hidden = state !== 'loading';
  $('stork-anonymous').hidden = state !== 'anonymous';
  $('stork-account-panel').hidden = state !== 'signed-in';
  $('stork-account-who').hidden = state !== 'signed-in';
  if (message) $('stork-anonymous-text').textContent = message;
  document.body.dataset.storkState = state;
  document.body.dataset.storkViewer = state === 'signed-in' && page.user ? page.user.username : '';
}

async function start() {
  const me = await request('GET', '/api/me').catch(() => null);
  if (!me || me.status !== 200 || !me.data) {
    show('anonymous');
    return;
  }
  page.csrf = me.data.csrf;
  page.user = me.data.user;
  document.querySelector('.stork-viewer-name').textContent = page.user.username;
  const panel = mountAccountPanel($('stork-account-panel'), {
    api,
    onCredentials: (fresh) => { page.csrf = fresh.csrf || page.csrf; },
    onSignedOut: (message) => {
      page.csrf = '';
      page.user = null;
      show('anonymous', message || 'You are signed out.');
    },
  });
  show('signed-in');
  await panel.refresh();
}

start();
