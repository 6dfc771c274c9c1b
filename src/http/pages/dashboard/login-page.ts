// The sign-in form: takes an API key with the `reports` scope once and
// exchanges it for a signed session cookie. The key is posted, never put in a URL.
import { html } from 'hono/html';
import { layout, type Page } from './layout.ts';

export function loginPage(error: string | null): Page {
  return layout(
    'Sign in',
    html`<form class="login" method="post" action="/dashboard/login">
<h1>Sign in to the dashboard</h1>
<p class="muted">Paste an API key with the <code>reports</code> scope (<code>rekindle keys create --scopes reports</code>).</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
    { signedIn: false },
  );
}
