// The plain pages behind the unsubscribe link: a confirmation with one button
// (a GET must never unsubscribe: mail scanners follow links) and the page
// shown after it. No script, no external assets, readable on a phone. They
// never show the address: the link may be forwarded.
import { html } from 'hono/html';
import { htmlDocument, type Page } from './document.ts';

const styles = `
  body { font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; padding: 1.5rem;
    color: #1d1d1f; background: #f6f6f7; }
  main { max-width: 32rem; margin: 10vh auto 0; background: #fff; padding: 1.75rem; border-radius: 12px;
    box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 1.4rem; margin: 0 0 .75rem; }
  button { font: inherit; font-weight: 600; width: 100%; padding: .85rem 1rem; margin-top: 1rem; border: 0;
    border-radius: 8px; background: #1d1d1f; color: #fff; cursor: pointer; }
  button:focus-visible { outline: 3px solid #4c8bf5; outline-offset: 2px; }
  p { margin: .5rem 0; }
`;

function layout(title: string, body: Page): Page {
  return htmlDocument(title, styles, html`<main>${body}</main>`);
}

/** Asks before unsubscribing; the form (no action) posts back to the page's own URL. */
export function confirmUnsubscribePage(alreadyUnsubscribed: boolean): Page {
  if (alreadyUnsubscribed) return unsubscribedPage(true);
  return layout(
    'Unsubscribe',
    html`<h1>Unsubscribe from marketing emails?</h1>
<p>You will no longer receive offers or reminders from us at this address. Emails about your orders are not affected.</p>
<form method="post">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

export function unsubscribedPage(wasAlready: boolean): Page {
  return layout(
    'Unsubscribed',
    html`<h1>You are unsubscribed</h1>
<p>${wasAlready ? 'This address was already unsubscribed.' : 'We will not send marketing emails to this address again.'}</p>
<p>You can close this page.</p>`,
  );
}
