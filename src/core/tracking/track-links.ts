// Turns a rendered email into a tracked one: every safe (http(s)) link in an
// <a> tag goes through the click redirect, and a 1x1 open pixel goes before
// </body>. The tokens carry the message id and the link's index (and, with
// signTargets, the link itself, signed: tokens.ts); the original URLs come
// back as `links`, which the delivery loop stores on the message, so the
// redirect can only ever go to a URL this email really contained. An href that is not a safe link nor a fragment (javascript:,
// data:, mailto:, a relative path...) loses its href: the text stays, the link
// does not. Pure: it never fetches, logs or reads a URL's contents, and never
// tracks the unsubscribe link (already signed).
import { hrefTarget } from '../safe-link.ts';
import { type TokenSigner, trackingPaths } from './tokens.ts';

export interface TrackLinksInput {
  html: string;
  /** The plain-text part; the same URLs are rewritten in it when given. */
  text?: string;
  messageId: string;
  signer: TokenSigner;
  /** The public base URL the tracking routes are served from, e.g. https://mail.shop.example. */
  baseUrl: string;
  /**
   * Sign each link into its click token, so the redirect needs no database
   * read (what the delivery homes do); otherwise tokens carry the index only.
   */
  signTargets?: boolean | undefined;
}

export interface TrackedEmail {
  html: string;
  /** Undefined when no text part was given. */
  text: string | undefined;
  /** links[i] is the original URL behind click index i; each distinct URL appears once. */
  links: string[];
}

// An opening <a> tag; quoted attribute values may themselves contain '>'.
const anchorTag = /<a\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
const hrefAttribute = /(\shref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
// A URL in plain text; trailing punctuation is trimmed off before lookup.
const textUrl = /https?:\/\/[^\s<>"'[\]()]+/gi;
const trailingPunctuation = /[.,;:!?]+$/;
const signedUnsubscribePath =
  /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/u\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(?:[?#].*)?$/;

export async function trackLinks(input: TrackLinksInput): Promise<TrackedEmail> {
  const base = input.baseUrl.replace(/\/+$/, '');
  const ownPrefixes = [`${base}${trackingPaths.unsubscribe('')}`, `${base}/t/`];
  const indexByUrl = new Map<string, number>();
  const links: string[] = [];
  const clickUrls: string[] = [];

  const indexFor = async (url: string): Promise<number> => {
    const known = indexByUrl.get(url);
    if (known !== undefined) return known;
    const index = links.length;
    indexByUrl.set(url, index);
    links.push(url);
    const claim = { purpose: 'click', messageId: input.messageId, linkIndex: index } as const;
    const token = await input.signer.sign(input.signTargets ? { ...claim, target: url } : claim);
    clickUrls.push(`${base}${trackingPaths.click(token)}`);
    return index;
  };

  const trackable = async (url: string) => {
    if (ownPrefixes.some((prefix) => url.startsWith(prefix))) return false;
    // An unsubscribe link we signed, served from another base (the shop's own
    // unsubscribe domain), stays as it is too.
    const token = signedUnsubscribePath.exec(url)?.[1];
    return !token || (await input.signer.verify(token))?.purpose !== 'unsubscribe';
  };

  // Signing is async, so collect the replacements first and splice them in after.
  const edits: { start: number; end: number; text: string }[] = [];
  for (const tag of input.html.matchAll(anchorTag)) {
    const href = hrefAttribute.exec(tag[0]);
    if (!href) continue;
    const target = hrefTarget(href[2] ?? href[3] ?? href[4] ?? '');
    const start = tag.index + href.index;
    if (target.kind === 'unsafe') {
      edits.push({ start, end: start + href[0].length, text: '' });
      continue;
    }
    if (target.kind === 'fragment' || !(await trackable(target.url))) continue;
    const index = await indexFor(target.url);
    edits.push({
      start,
      end: start + href[0].length,
      text: `${href[1]}"${escapeAttribute(clickUrls[index]!)}"`,
    });
  }
  let html = splice(input.html, edits);

  const openToken = await input.signer.sign({ purpose: 'open', messageId: input.messageId });
  const pixel = `<img src="${escapeAttribute(`${base}${trackingPaths.open(openToken)}`)}" width="1" height="1" alt="" style="display:block">`;
  const bodyEnd = html.toLowerCase().lastIndexOf('</body>');
  html = bodyEnd === -1 ? html + pixel : html.slice(0, bodyEnd) + pixel + html.slice(bodyEnd);

  const text = input.text === undefined ? undefined : rewriteText(input.text, indexByUrl, clickUrls);
  return { html, text, links };
}

function rewriteText(text: string, indexByUrl: Map<string, number>, clickUrls: string[]): string {
  return text.replace(textUrl, (match) => {
    const url = match.replace(trailingPunctuation, '');
    const index = indexByUrl.get(url);
    return index === undefined ? match : clickUrls[index]! + match.slice(url.length);
  });
}

function splice(source: string, edits: { start: number; end: number; text: string }[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + source.slice(at);
}

function escapeAttribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}
