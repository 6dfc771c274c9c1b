// Signed tokens for the public tracking routes (open pixel, click redirect,
// unsubscribe). A token names a message (and, for clicks, the index of a link
// inside it) and carries an HMAC-SHA256 over exactly those fields, so a forged
// or altered token verifies as null and the route records nothing. Tokens
// never carry an address or a URL: both are looked up from the message.
// Web Crypto only, so the same code runs on Node and in Workers.

export type TokenPurpose = 'open' | 'click' | 'unsubscribe';

export interface TrackingClaim {
  purpose: TokenPurpose;
  messageId: string;
  /** Only for clicks: the position of the link in the message's link list. */
  linkIndex?: number;
}

const purposeCode: Record<TokenPurpose, string> = { open: 'o', click: 'c', unsubscribe: 'u' };
const codePurpose = new Map(
  Object.entries(purposeCode).map(([purpose, code]) => [code, purpose as TokenPurpose]),
);
// 128 bits of the MAC: far beyond guessing over HTTP, and keeps links short.
const macBytes = 16;
const encoder = new TextEncoder();

export interface TokenSigner {
  sign(claim: TrackingClaim): Promise<string>;
  /** The claim, or null for anything that was not signed by this secret. */
  verify(token: string): Promise<TrackingClaim | null>;
}

/** HMAC-SHA256 of the payload's UTF-8 bytes under the signing secret. */
export type HmacSha256 = (payload: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** A signer over Web Crypto: works in every home. */
export async function createTokenSigner(secret: string): Promise<TokenSigner> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return tokenSignerWith(async (payload) => new Uint8Array(await crypto.subtle.sign('HMAC', key, payload)));
}

/**
 * A signer over a given HMAC. Node hands in its synchronous one: Web Crypto
 * there runs every HMAC on the libuv thread pool, and under load the queue
 * for it, not the hashing, dominated a click redirect's latency.
 */
export function tokenSignerWith(hmac: HmacSha256): TokenSigner {
  const mac = async (payload: string) => (await hmac(encoder.encode(payload))).slice(0, macBytes);
  return {
    async sign(claim) {
      const payload = encodePayload(claim);
      return `${payload}.${toBase64Url(await mac(payload))}`;
    },
    async verify(token) {
      const dot = token.lastIndexOf('.');
      if (dot <= 0) return null;
      const payload = token.slice(0, dot);
      const given = fromBase64Url(token.slice(dot + 1));
      if (!given || given.length !== macBytes) return null;
      if (!constantTimeEqual(given, await mac(payload))) return null;
      return decodePayload(payload);
    },
  };
}

// payload = base64url("<purpose code>:<link index or empty>:<message id>")
function encodePayload(claim: TrackingClaim): string {
  const index = claim.purpose === 'click' ? String(claim.linkIndex ?? 0) : '';
  return toBase64Url(encoder.encode(`${purposeCode[claim.purpose]}:${index}:${claim.messageId}`));
}

function decodePayload(payload: string): TrackingClaim | null {
  const bytes = fromBase64Url(payload);
  if (!bytes) return null;
  const [code, index, ...rest] = new TextDecoder().decode(bytes).split(':');
  const purpose = code ? codePurpose.get(code) : undefined;
  const messageId = rest.join(':');
  if (!purpose || messageId === '') return null;
  if (purpose !== 'click') return { purpose, messageId };
  if (!index || !/^\d{1,6}$/.test(index)) return null;
  return { purpose, messageId, linkIndex: Number(index) };
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  let bytes: Uint8Array;
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  // The last character can carry unused bits (a 16-byte MAC ends in 4 of them),
  // so several spellings decode alike; accepting only the canonical one keeps
  // every altered token invalid.
  return toBase64Url(bytes) === text ? bytes : null;
}

/** The public paths the tokens travel in; the HTTP routes and the renderer share them. */
export const trackingPaths = {
  open: (token: string) => `/t/o/${token}.gif`,
  click: (token: string) => `/t/c/${token}`,
  unsubscribe: (token: string) => `/u/${token}`,
} as const;
