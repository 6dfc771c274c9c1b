// The HTML document every server-rendered page sits in: UTF-8, a phone-width
// viewport, kept out of search engines, one inline stylesheet and no script.
// Values reach it through hono's `html` template, which escapes them; the
// stylesheet is the page's own constant and goes in as written.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

export function htmlDocument(title: string, styles: string, body: Page): Page {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${raw(styles)}</style>
</head>
<body>${body}</body>
</html>`;
}
