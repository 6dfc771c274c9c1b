// What URL a shop endpoint for events may have: a safe link (core/safe-link.ts)
// that is https, because the body names customers and the signature alone
// does not hide it; plain http only on this machine (localhost, 127.0.0.1,
// [::1]) for development and tests. No user name or password in the URL
// (fetch refuses them, and they would sit in the settings file). Pure.
import { safeLink } from '../safe-link.ts';

export const endpointUrlRule =
  'an https URL like https://shop.example/rekindle-events (http only for localhost or 127.0.0.1)';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The URL normalized, or null when an endpoint may not have it. */
export function endpointUrl(raw: unknown): string | null {
  const link = safeLink(raw);
  if (link === null) return null;
  const url = new URL(link);
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'https:' || loopbackHosts.has(url.hostname)) return url.href;
  return null;
}
