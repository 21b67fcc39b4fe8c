/*
 * Stork's first-party sign-up page, opened by the widget as a popup like
 * /login. The server checks every rule; its reason is shown beside the
 * field it concerns.
 */
import { request, messageOf, setText, retrySeconds } from './common.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['first', 'last', 'username', 'password'];

const page = {
  publisher: new URLSearchParams(location.search).get('publisher') || '',
  busy: false,
  form: $('stork-signup-form'),
  inputs: Object.fromEntries(FIELDS.map((f) => [f, $('stork-' + f)])),
  errors: Object.fromEntries(FIELDS.map((f) => [f, $('stork-' + f + '-error')])),
  remember: $('stork-remember'),
  submit: $('stork-signup-submit'),
  error: $('stork-signup-error'),
  done: $('stork-done'),
};

function fieldError(field, text) {
  const input = page.inputs[field];
  setText(page.errors[field], text);
  if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
}

function clearErrors() {
  FIELDS.forEach((f) => fieldError(f, ''));
  setText(page.error, '');
}

function setBusy(on) {
  page.busy = on;
  page.form.setAttribute('aria-busy', String(on));
  page.submit.disabled = on;
  page.submit.textContent = on ? 'Creating your account…' : 'Create account';
}

// Tell the widget frame that opened this window, and only it.
function finish(user) {
  page.form.hidden = true;
  page.done.hidden = false;
  page.done.querySelector('.stork-viewer-name').textContent = user ? user.first || user.username : '';
  document.body.dataset.storkState = 'done';
  document.body.dataset.storkViewer = user ? user.username : '';
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage({ type: 'stork:login' }, location.origin);
    window.close();
  }
}

async function onSubmit(event) {
  event.preventDefault();
  if (page.busy) return;
  clearErrors();
  const values = Object.fromEntries(FIELDS.map((f) => [f, page.inputs[f].value]));
  values.username = values.username.trim();
  const empty = FIELDS.find((f) => !values[f].trim());
  if (empty) {
    fieldError(empty, 'Please fill this in.');
    page.inputs[empty].focus();
    return;
  }
  setBusy(true);
  try {
    const res = await request('POST', '/api/signup', {
      body: { ...values, remember: page.remember.checked, cookieless: false, publisher: page.publisher },
    });
    if (res.status === 201 && res.data) {
      page.inputs.password.value = '';
      finish(res.data.user);
      return;
    }
    const data = res.data || {};
    if (res.status === 400 && FIELDS.includes(data.field)) {
      fieldError(data.field, messageOf(res, 'Please check this.'));
      page.inputs[data.field].focus();
    } else if (res.status === 409) {
      fieldError('username', messageOf(res, 'This username is taken.'));
      page.inputs.username.select();
    } else if (res.status === 429) {
      setText(page.error, 'Too many sign-ups from your network. Try again in ' + retrySeconds(res) + ' s.');
    } else {
      setText(page.error, messageOf(res, 'Creating the account failed (error ' + res.status + '). Please try again.'));
    }
  } catch (err) {
    setText(page.error, err.message);
  } finally {
    setBusy(false);
  }
}

if (page.publisher) $('stork-to-login').search = '?publisher=' + encodeURIComponent(page.publisher);
page.form.addEventListener('submit', onSubmit);
page.inputs.first.focus();
