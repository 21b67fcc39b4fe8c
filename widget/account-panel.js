/*
 * The visitor's own account: where they are signed in, a new password,
 * their data to take away, and leaving Stork. Mounted in the widget's
 * account panel and on the first-party /account page; the host passes how
 * to call the API (its session may be a cookie or an in-memory token) and
 * hears when the credentials change or the visitor is signed out.
 */
import { messageOf, setText } from './common.js';

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function field(id, label, type, autocomplete) {
  const input = el('input', { id, type, autocomplete, required: true });
  const error = el('p', { className: 'stork-error stork-field-error', hidden: true });
  input.setAttribute('aria-describedby', id + '-error');
  error.id = id + '-error';
  return { input, error, node: el('div', { className: 'stork-field' }, [el('label', { htmlFor: id, text: label }), input, error]) };
}

function when(seconds) {
  return new Date(seconds * 1000).toLocaleString();
}

export function mountAccountPanel(root, hooks) {
  const panel = {
    busy: false,
    sessions: el('ul', { className: 'stork-session-list' }),
    sessionsError: el('p', { className: 'stork-error', hidden: true, role: 'alert' }),
    current: field('stork-acc-current', 'Current password', 'password', 'current-password'),
    next: field('stork-acc-new', 'New password', 'password', 'new-password'),
    passwordDone: el('p', { className: 'stork-note', hidden: true, role: 'status' }),
    exportError: el('p', { className: 'stork-error', hidden: true, role: 'alert' }),
    confirm: field('stork-acc-delete-password', 'Your password, to confirm', 'password', 'current-password'),
    deleteForm: null,
  };

  async function run(action) {
    if (panel.busy) return;
    panel.busy = true;
    root.setAttribute('aria-busy', 'true');
    try {
      await action();
    } finally {
      panel.busy = false;
      root.setAttribute('aria-busy', 'false');
    }
  }

  function signedOutIf401(res) {
    if (res.status !== 401) return false;
    hooks.onSignedOut('Your Stork session has ended. Please sign in again.');
    return true;
  }

  async function loadSessions() {
    setText(panel.sessionsError, '');
    try {
      const res = await hooks.api('GET', '/api/sessions');
      if (signedOutIf401(res)) return;
      if (res.status !== 200 || !res.data) throw new Error(messageOf(res, 'Your sessions could not be loaded.'));
      panel.sessions.replaceChildren(...res.data.sessions.map((s) => {
        const where = [s.publisher, s.top_site].filter(Boolean).join(' · ') || 'Stork';
        const end = el('button', { type: 'button', className: 'stork-button stork-button-link', text: s.current ? 'Sign out here' : 'Sign out' });
        end.dataset.session = s.id;
        end.dataset.current = String(s.current);
        return el('li', { className: 'stork-session' + (s.current ? ' is-current' : '') }, [
          el('span', { className: 'stork-session-what', text: (s.current ? 'This device — ' : '') + (s.user_agent || 'Unknown browser').slice(0, 80) }),
          el('span', { className: 'stork-note', text: where + ' · last seen ' + when(s.last_seen_at) }),
          end,
        ]);
      }));
    } catch (err) {
      setText(panel.sessionsError, err.message);
    }
  }

  function endSession(event) {
    const btn = event.target.closest('button[data-session]');
    if (!btn) return;
    run(async () => {
      const res = await hooks.api('DELETE', '/api/sessions/' + encodeURIComponent(btn.dataset.session));
      if (signedOutIf401(res)) return;
      if (res.status !== 204) {
        setText(panel.sessionsError, messageOf(res, 'That session could not be ended.'));
        return;
      }
      if (btn.dataset.current === 'true') hooks.onSignedOut('');
      else await loadSessions();
    });
  }

  function changePassword(event) {
    event.preventDefault();
    run(async () => {
      setText(panel.current.error, '');
      setText(panel.next.error, '');
      setText(panel.passwordDone, '');
      const res = await hooks.api('PUT', '/api/password', {
        old_password: panel.current.input.value,
        new_password: panel.next.input.value,
      });
      if (signedOutIf401(res)) return;
      if (res.status === 200 && res.data) {
        panel.current.input.value = '';
        panel.next.input.value = '';
        hooks.onCredentials(res.data);
        setText(panel.passwordDone, 'Your password is changed; your other devices are signed out.');
        await loadSessions();
      } else if (res.status === 422) {
        setText(panel.next.error, messageOf(res, 'Please choose another password.'));
      } else if (res.status === 403 && res.data && res.data.error === 'invalid_credentials') {
        setText(panel.current.error, messageOf(res, 'The current password is wrong.'));
      } else {
        setText(panel.next.error, messageOf(res, 'The password could not be changed.'));
      }
    });
  }

  function downloadData() {
    run(async () => {
      setText(panel.exportError, '');
      const res = await hooks.api('GET', '/api/account/export');
      if (signedOutIf401(res)) return;
      if (res.status !== 200 || !res.data) {
        setText(panel.exportError, messageOf(res, 'Your data could not be exported.'));
        return;
      }
      const blob = new Blob([JSON.stringify(res.data, null, 2)], { type: 'application/json' });
      const link = el('a', { href: URL.createObjectURL(blob), download: 'stork-account-' + res.data.profile.username + '.json' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    });
  }

  function deleteAccount(event) {
    event.preventDefault();
    run(async () => {
      setText(panel.confirm.error, '');
      const res = await hooks.api('DELETE', '/api/account', { password: panel.confirm.input.value });
      if (signedOutIf401(res)) return;
      if (res.status === 204) {
        panel.confirm.input.value = '';
        hooks.onSignedOut('Your Stork account and everything in it are deleted.');
        return;
      }
      setText(panel.confirm.error, messageOf(res, 'The account could not be deleted.'));
    });
  }

  const passwordForm = el('form', { className: 'stork-form', noValidate: true }, [
    panel.current.node, panel.next.node,
    el('button', { type: 'submit', className: 'stork-button stork-button-secondary', text: 'Change password' }),
    panel.passwordDone,
  ]);
  panel.deleteForm = el('form', { className: 'stork-form', noValidate: true, hidden: true }, [
    el('p', { className: 'stork-note', text: 'This removes your account, your ratings and your wishlist for good, and signs you out everywhere.' }),
    panel.confirm.node,
    el('button', { type: 'submit', className: 'stork-button stork-button-danger', text: 'Delete my account for good' }),
  ]);
  const askDelete = el('button', { type: 'button', className: 'stork-button stork-button-link', text: 'Delete my account…' });
  const download = el('button', { type: 'button', className: 'stork-button stork-button-secondary', text: 'Download my data' });

  root.replaceChildren(
    el('h2', { className: 'stork-account-title', text: 'Your Stork account' }),
    el('h3', { className: 'stork-label', text: 'Where you are signed in' }), panel.sessions, panel.sessionsError,
    el('h3', { className: 'stork-label', text: 'Password' }), passwordForm,
    el('h3', { className: 'stork-label', text: 'Your data' }), download, panel.exportError,
    askDelete, panel.deleteForm,
  );
  panel.sessions.addEventListener('click', endSession);
  passwordForm.addEventListener('submit', changePassword);
  download.addEventListener('click', downloadData);
  askDelete.addEventListener('click', () => {
    panel.deleteForm.hidden = !panel.deleteForm.hidden;
    if (!panel.deleteForm.hidden) panel.confirm.input.focus();
  });
  panel.deleteForm.addEventListener('submit', deleteAccount);

  return { refresh: loadSessions };
}
