// Tells an open pixel fetched by a privacy proxy or scanner from one a person
// most likely caused. Apple Mail Privacy Protection downloads every image as
// soon as a message reaches the device, Gmail and Yahoo fetch images through
// their own proxies, and security scanners fetch within seconds of delivery;
// such opens are kept but flagged, so reports can show opens with and without
// them. A heuristic, so it only ever flags: it never drops an open. Pure.

export interface OpenFetch {
  userAgent: string | null;
  ip: string | null;
  /** When the pixel was fetched, epoch ms. */
  at: number;
  /** When the message was handed to the mail server, epoch ms; null if unknown. */
  sentAt: number | null;
}

export type ProxyReason =
  | 'no_user_agent'
  | 'apple_privacy_proxy'
  | 'apple_network'
  | 'google_image_proxy'
  | 'yahoo_mail_proxy'
  | 'image_proxy'
  | 'prefetched_at_delivery';

/** A person rarely opens a message this soon after it was sent; scanners and prefetchers do. */
export const prefetchWindowMs = 20_000;

// Proxies that say who they are in the user agent.
const namedProxies: readonly [RegExp, ProxyReason][] = [
  [/GoogleImageProxy/i, 'google_image_proxy'],
  [/YahooMailProxy/i, 'yahoo_mail_proxy'],
  [/\b(?:ImageProxy|image[-_ ]proxy)\b/i, 'image_proxy'],
];

/** The reason an open looks automated, or null when it looks like a person. */
export function proxyOpenReason(open: OpenFetch): ProxyReason | null {
  const agent = open.userAgent?.trim() ?? '';
  if (agent === '') return 'no_user_agent';
  for (const [pattern, reason] of namedProxies) if (pattern.test(agent)) return reason;
  // Apple's MPP proxy sends a bare "Mozilla/5.0"; real mail clients add details.
  if (agent === 'Mozilla/5.0') return 'apple_privacy_proxy';
  if (open.ip !== null && isAppleAddress(open.ip)) return 'apple_network';
  if (open.sentAt !== null && open.at >= open.sentAt && open.at - open.sentAt < prefetchWindowMs) {
    return 'prefetched_at_delivery';
  }
  return null;
}

/**
 * Apple's own address blocks, from which MPP fetches: 17.0.0.0/8 and the
 * IPv6 2620:149::/32 and 2a01:b740::/32.
 */
export function isAppleAddress(ip: string): boolean {
  const address = ip.trim().toLowerCase();
  const v4 = /^(?:::ffff:)?(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(address);
  if (v4) return Number(v4[1]) === 17;
  if (!address.includes(':')) return false;
  const [first = '', second = ''] = address.split(':');
  if (first === '' || second === '') return false;
  const prefix = `${Number.parseInt(first, 16).toString(16)}:${Number.parseInt(second, 16).toString(16)}`;
  return prefix === '2620:149' || prefix === '2a01:b740';
}
