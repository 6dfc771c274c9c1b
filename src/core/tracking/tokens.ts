// Signed tokens for the public tracking routes (open pixel, click redirect,
// unsubscribe). A token names a message (and, for clicks, the index of a link
// inside it) and carries an HMAC-SHA256 over exactly those fields, so a forged
// or altered token verifies as null and the route records nothing. Tokens
// never carry an address of their own (a signed-in link carries whatever the
// template put in it).
//
// Two forms of click token, both valid for good (emails already sent hold
// the first):
// - `<payload>.<mac>`: the link's index only; the redirect reads the target
//   from the stored message.
// - `<payload>.<target>.<mac>`: the link itself signed in (base64url of its
//   UTF-8 text, the same text the message stores), so the redirect answers
//   without reading the database. The target is the link the email showed its
//   reader anyway; it is encoded, not encrypted, so the tracking host's access
//   logs see it. A link too long for a token of maxTokenLength is signed in
//   the first form instead.
// Web Crypto only, so the same code runs on Node and in Workers.

import { type HmacSha256, macsEqual, webHmacSha256 } from '../crypto/hmac-sha256.ts';

export type TokenPurpose = 'open' | 'click' | 'unsubscribe';

export interface TrackingClaim {
  purpose: TokenPurpose;
  messageId: string;
  /** Only for clicks: the position of the link in the message's link list. */
  linkIndex?: number;
  /** Only for clicks, when signed in: the link itself (as the message stores it at linkIndex). */
  target?: string;
}

const purposeCode: Record<TokenPurpose, string> = { open: 'o', click: 'c', unsubscribe: 'u' };
const codePurpose = new Map(
  Object.entries(purposeCode).map(([purpose, code]) => [code, purpose as TokenPurpose]),
);
// 128 bits of the MAC: far beyond guessing over HTTP, and keeps links short.
const macBytes = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** The longest token either form may be; verify refuses longer ones unhashed. */
export const maxTokenLength = 2048;

export interface TokenSigner {
  sign(claim: TrackingClaim): Promise<string>;
  /** The claim, or null for anything that was not signed by this secret. */
  verify(token: string): Promise<TrackingClaim | null>;
}

/** A signer over Web Crypto: works in every home. */
export async function createTokenSigner(secret: string): Promise<TokenSigner> {
  return tokenSignerWith(webHmacSha256(secret));
}

/**
 * A signer over a given HMAC. Node hands in its synchronous one: Web Crypto
 * there runs every HMAC on the libuv thread pool, and under load the queue
 * for it, not the hashing, dominated a click redirect's latency.
 */
export function tokenSignerWith(hmac: HmacSha256): TokenSigner {
  const mac = async (signed: string) => (await hmac(encoder.encode(signed))).subarray(0, macBytes);
  return {
    async sign(claim) {
      const payload = encodePayload(claim);
      if (claim.purpose === 'click' && claim.target !== undefined) {
        const signed = `${payload}.${toBase64Url(encoder.encode(claim.target))}`;
        // 22 characters of MAC and its dot.
        if (signed.length + 23 <= maxTokenLength) return `${signed}.${toBase64Url(await mac(signed))}`;
      }
      return `${payload}.${toBase64Url(await mac(payload))}`;
    },
    async verify(token) {
      if (token.length > maxTokenLength) return null;
      const dot = token.lastIndexOf('.');
      if (dot <= 0) return null;
      const signed = token.slice(0, dot);
      const given = fromBase64Url(token.slice(dot + 1));
      if (!given || given.length !== macBytes) return null;
      if (!macsEqual(given, await mac(signed))) return null;
      const inner = signed.indexOf('.');
      if (inner === -1) return decodePayload(signed);
      const claim = decodePayload(signed.slice(0, inner));
      const target = decodeTarget(signed.slice(inner + 1));
      if (claim?.purpose !== 'click' || target === null) return null;
      return { ...claim, target };
    },
  };
}

function decodeTarget(segment: string): string | null {
  const bytes = fromBase64Url(segment);
  if (!bytes || bytes.length === 0) return null;
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

// payload = base64url("<purpose code>:<link index or empty>:<message id>")
function encodePayload(claim: TrackingClaim): string {
  const index = claim.purpose === 'click' ? String(claim.linkIndex ?? 0) : '';
  return toBase64Url(encoder.encode(`${purposeCode[claim.purpose]}:${index}:${claim.messageId}`));
}

function decodePayload(payload: string): TrackingClaim | null {
  const bytes = fromBase64Url(payload);
  if (!bytes) return null;
  const [code, index, ...rest] = decoder.decode(bytes).split(':');
  const purpose = code ? codePurpose.get(code) : undefined;
  const messageId = rest.join(':');
  if (!purpose || messageId === '') return null;
  if (purpose !== 'click') return { purpose, messageId };
  if (!index || !/^\d{1,6}$/.test(index)) return null;
  return { purpose, messageId, linkIndex: Number(index) };
}

// base64url by table: atob/btoa and a re-encode to check the spelling cost a
// click redirect more than its HMAC.
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const sextets = new Int8Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) sextets[alphabet.charCodeAt(i)] = i;

function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]!;
  } else if (left === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]!;
  }
  return out;
}

function fromBase64Url(text: string): Uint8Array | null {
  const tail = text.length % 4;
  if (tail === 1) return null;
  const values = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? sextets[code]! : -1;
    if (value < 0) return null;
    values[i] = value;
  }
  // The last character can carry unused bits (a 16-byte MAC ends in 4 of them),
  // so several spellings would decode alike; accepting only the canonical one
  // (unused bits zero) keeps every altered token invalid.
  const last = values[text.length - 1] ?? 0;
  if ((tail === 2 && (last & 15) !== 0) || (tail === 3 && (last & 3) !== 0)) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let at = 0;
  let i = 0;
  for (; i + 3 < text.length; i += 4) {
    const n = (values[i]! << 18) | (values[i + 1]! << 12) | (values[i + 2]! << 6) | values[i + 3]!;
    bytes[at++] = n >> 16;
    bytes[at++] = (n >> 8) & 255;
    bytes[at++] = n & 255;
  }
  if (tail === 2) {
    bytes[at++] = (values[i]! << 2) | (values[i + 1]! >> 4);
  } else if (tail === 3) {
    const n = (values[i]! << 12) | (values[i + 1]! << 6) | values[i + 2]!;
    bytes[at++] = n >> 10;
    bytes[at++] = (n >> 2) & 255;
  }
  return bytes;
}

/** The public paths the tokens travel in; the HTTP routes and the renderer share them. */
export const trackingPaths = {
  open: (token: string) => `/t/o/${token}.gif`,
  click: (token: string) => `/t/c/${token}`,
  unsubscribe: (token: string) => `/u/${token}`,
} as const;
