// The dashboard's page shell: one inline stylesheet, no script, no external
// assets, readable from a 375px phone up. Every value reaches the page through
// hono's `html` template, which escapes it.
import { html } from 'hono/html';
import { htmlDocument, type Page } from '../document.ts';

export type { Page };

const styles = `
*, *::before, *::after { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d1d1f;
  background: #f5f5f4; }
header { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .75rem 1rem;
  background: #1c1917; color: #fff; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
header form { margin: 0; }
header button { font: inherit; font-size: .875rem; background: transparent; color: #e7e5e4; border: 1px solid #57534e;
  border-radius: 6px; padding: .25rem .6rem; cursor: pointer; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .75rem; }
a { color: #c2410c; }
.muted { color: #57534e; font-size: .875rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
.card { background: #fff; border-radius: 10px; padding: 1rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); min-width: 0; }
.card h2 { margin: 0 0 .5rem; font-size: 1.1rem; overflow-wrap: anywhere; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(7.5rem, 1fr)); gap: .5rem .75rem; margin: 0; }
dl.figures div { min-width: 0; }
dl.figures dt { font-size: .75rem; color: #57534e; text-transform: uppercase; letter-spacing: .03em; }
dl.figures dd { margin: 0; font-size: 1.15rem; font-weight: 600; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; background: #fff; border-radius: 10px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
table { border-collapse: collapse; width: 100%; font-size: .875rem; }
th, td { padding: .45rem .6rem; text-align: right; border-bottom: 1px solid #e7e5e4; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
.funnel { display: grid; gap: .4rem; }
.funnel .row { display: grid; grid-template-columns: 6.5rem 1fr 4.5rem; align-items: center; gap: .5rem; }
.funnel .bar { height: 1.3rem; background: #fed7aa; border-radius: 4px; overflow: hidden; }
.funnel .bar span { display: block; height: 100%; background: #c2410c; }
.funnel .n { text-align: right; font-weight: 600; }
.lift { font-size: 1.05rem; }
.notice { background: #fef3c7; border-radius: 8px; padding: .6rem .8rem; }
svg.chart { width: 100%; height: auto; display: block; background: #fff; border-radius: 10px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
figure { margin: 0 0 1rem; }
.charts figcaption { font-size: .875rem; font-weight: 600; margin-bottom: .25rem; }
.chart-box { overflow-x: auto; }
form.range { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .5rem .75rem; margin: 0 0 .25rem; }
form.range label { display: flex; flex-direction: column; font-size: .8rem; color: #57534e; }
form.range input { font: inherit; padding: .3rem .4rem; border: 1px solid #a8a29e; border-radius: 6px; max-width: 10.5rem; }
form.range button { font: inherit; padding: .35rem .8rem; border: 0; border-radius: 6px; background: #1c1917; color: #fff;
  cursor: pointer; }
td.url { text-align: left; white-space: normal; overflow-wrap: anywhere; min-width: 12rem; }
ul.notes { padding-left: 1.1rem; margin: .5rem 0 0; }
iframe.preview { width: 100%; height: 32rem; border: 1px solid #d6d3d1; border-radius: 8px; background: #fff; }
form.login { max-width: 26rem; margin: 12vh auto; background: #fff; padding: 1.5rem; border-radius: 12px;
  box-shadow: 0 1px 3px rgba(0,0,0,.1); }
form.login label { display: block; font-weight: 600; margin-bottom: .4rem; }
form.login input { width: 100%; font: inherit; padding: .6rem; border: 1px solid #a8a29e; border-radius: 8px; }
form.login button { font: inherit; font-weight: 600; width: 100%; margin-top: 1rem; padding: .7rem; border: 0;
  border-radius: 8px; background: #1c1917; color: #fff; cursor: pointer; }
.error { color: #b91c1c; }
`;

export function layout(title: string, body: Page, options: { signedIn: boolean } = { signedIn: true }): Page {
  const signOut = options.signedIn
    ? html`<form method="post" action="/dashboard/logout"><button type="submit">Sign out</button></form>`
    : '';
  return htmlDocument(
    `${title} - Rekindle`,
    styles,
    html`
<header><a href="/dashboard">Rekindle</a>${signOut}</header>
<main>${body}</main>
`,
  );
}

/** Security headers for every dashboard response: nothing loads from elsewhere, nothing is cached. */
export const pageHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
} as const;
