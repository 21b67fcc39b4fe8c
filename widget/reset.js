/*
 * The page a password reset link opens. The link's token is in the
 * fragment (#token=...), which the browser sends to no server; it is
 * taken out of the address bar at once so it does not stay in history.
 */
import { request, messageOf, setText } from './common.js';

const $ = (id) => document.getElementById(id);
const page = {
  token: new URLSearchParams(location.hash.slice(1)).get('token') || '',
  busy: false,
  loading: $('stork-loading'),
  invalid: $('stork-invalid'),
  form: $('stork-reset-form'),
  username: $('stork-reset-username'),
  userField: $('stork-reset-user-field'),
  password: $('stork-password'),
  again: $('stork-password-again'),
  passwordError: $('stork-password-error'),
  againError: $('stork-again-error'),
  submit: $('stork-reset-submit'),
  error: $('stork-reset-error'),
  done: $('stork-done'),
};

function show(state, message) {
  page.loading.hidden = state !== 'loading';
  page.form.hidden = state !== 'form';
  page.done.hidden = state !== 'done';
  setText(page.invalid, state === 'invalid' ? message : '');
  document.body.dataset.storkState = state;
}

const INVALID = 'This link does not work any more. Ask for a new one.';

async function start() {
  history.replaceState(null, '', location.pathname);
  if (!page.token) {
    show('invalid', 'This page needs the whole link you were given, including the part after #.');
    return;
  }
  try {
    const res = await request('POST', '/api/password-reset/check', { body: { token: page.token } });
    if (res.status !== 200 || !res.data) {
      show('invalid', messageOf(res, INVALID));
      return;
    }
    page.username.textContent = res.data.user.username;
    page.userField.value = res.data.user.username;  // for password managers
    show('form');
    page.password.focus();
  } catch (err) {
    show('invalid', err.message);
  }
}

async function onSubmit(event) {
  event.preventDefault();
  if (page.busy) return;
  setText(page.passwordError, '');
  setText(page.againError, '');
  setText(page.error, '');
  if (page.password.value !== page.again.value) {
    setText(page.againError, 'The two passwords differ.');
    page.again.focus();
    return;
  }
  page.busy = true;
  page.submit.disabled = true;
  try {
    const res = await request('POST', '/api/password-reset', {
      body: { token: page.token, password: page.password.value },
    });
    if (res.status === 204) {
      page.password.value = '';
      page.again.value = '';
      show('done');
    } else if (res.status === 400 && res.data && res.data.field === 'password') {
      setText(page.passwordError, messageOf(res, 'Please choose another password.'));
      page.password.select();
    } else if (res.status === 404) {
      show('invalid', messageOf(res, INVALID));
    } else {
      setText(page.error, messageOf(res, 'That did not work (error ' + res.status + '). Please try again.'));
    }
  } catch (err) {
    setText(page.error, err.message);
  } finally {
    page.busy = false;
    page.submit.disabled = false;
  }
}

page.form.addEventListener('submit', onSubmit);
start();
