// Derives the plain-text part of an email from its HTML: what a reader of the
// text part needs (words, and every link as "text (url)"), nothing of the
// head, styles, Outlook conditionals or hidden preheader. Regex-based on
// purpose: it only ever reads HTML that MJML produced, not arbitrary markup.
// Pure string work, safe in the Worker.

const named: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  zwnj: '',
  zwj: '',
  shy: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  times: '×',
  euro: '€',
  pound: '£',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return named[body.toLowerCase()] ?? entity;
  });
}

// Characters that only exist to pad a preheader or join glyphs; they read as noise.
const invisible = /\u00ad|\u034f|[\u200b-\u200d]|\u2060|\ufeff/g;

function attribute(attributes: string, name: string): string | null {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(attributes);
  return match ? decodeEntities(match[2] ?? match[3] ?? '') : null;
}

function inlineText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(invisible, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function linkText(attributes: string, inner: string): string {
  const href = attribute(attributes, 'href')?.trim() ?? '';
  let text = inlineText(inner);
  if (text === '') {
    // An image-only link reads as its alt text.
    const image = /<img\b([^>]*)>/i.exec(inner);
    text = image ? (attribute(image[1] ?? '', 'alt')?.trim() ?? '') : '';
  }
  if (href === '') return text;
  const shown = href.replace(/^mailto:/i, '');
  if (text === '' || text === href || text === shown) return ` ${shown} `;
  return ` ${text} (${shown}) `;
}

/** tidyText without the trim: only runs of spaces, tabs and newlines change. */
export function tidyRuns(text: string): string {
  // Regexes over the whole text rather than per line.
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

/**
 * Collapses what templates leave behind: trailing blanks, runs of empty lines.
 * Filling streams the same rule (tidyTextStage in output-stages.ts).
 */
export function tidyText(text: string): string {
  return tidyRuns(text).trim();
}

export function htmlToText(html: string): string {
  const body = html
    .replace(/<head\b[\s\S]*?<\/head>/gi, '')
    .replace(/<(style|script|title)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    // MJML's preheader and anything else hidden from readers.
    .replace(/<(div|span)\b[^>]*style\s*=\s*"[^"]*display\s*:\s*none[^"]*"[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/\s+/g, ' ');
  const text = body
    .replace(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi, (_, attributes: string, inner: string) =>
      // Keep the link's text out of the tag stripping below.
      linkText(attributes, inner).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    )
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<hr\b[^>]*>/gi, '\n---\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/?(p|div|tr|table|h[1-6]|ul|ol|li|section|blockquote|center)\b[^>]*>/gi, '\n')
    .replace(/<\/t[dh]>/gi, ' ')
    .replace(/<[^>]*>/g, '');
  return tidyText(
    decodeEntities(text)
      .replace(invisible, '')
      .replace(/\u00a0/g, ' '),
  );
}
