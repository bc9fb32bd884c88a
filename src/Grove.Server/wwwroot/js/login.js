// The sign-in page. Login asks the server for the HttpOnly session cookie too, so plain download links work; the
// token itself stays in this tab's sessionStorage for the calls that change things.
import { ApiError, call, describe, session } from './api.js';
import { clear, h } from './dom.js';

/** Shows the login form in app; calls onSignedIn() once the session is stored. message: why we are here. */
export function showLogin(app, { message, onSignedIn }) {
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert', hidden: !message }, message || '');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'login-form', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in to Grove'),
    h('label', { for: 'login-user' }, 'User name'), user,
    h('label', { for: 'login-password' }, 'Password'), password,
    error,
    submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!user.value || !password.value) {
      error.textContent = 'Enter your user name and password.';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    try {
      const login = await call('POST', '/api/v1/auth/login', {
        json: { user: user.value, password: password.value, cookie: true },
        anonymous: true,
      });
      session.save(login.token, { user: login.user, groups: [], admin: false });
      session.saveUser(await call('GET', '/api/v1/auth/me'));
      onSignedIn();
    } catch (err) {
      session.clear();
      error.textContent = err instanceof ApiError && err.status === 401
        ? `Sign-in failed: ${err.detail}`
        : describe(err);
      error.hidden = false;
      password.select();
    } finally {
      submit.disabled = false;
    }
  });

  clear(app).append(h('main', { class: 'login' }, form));
  document.title = 'Sign in · Grove';
  user.focus();
}
