// Dashboard sessions without a server-side table or an extra secret: the
// cookie holds `keyId.expiresAt.signature`, the signature an HMAC-SHA256 of
// `keyId.expiresAt` keyed with the API key's stored hash. Only someone who
// held the key could have made it, it expires, and revoking the key ends it.
// The key itself never reaches the browser's storage. Web Crypto only.
import { hourMs } from '../../../core/time.ts';

export const sessionCookie = 'rekindle_session';
export const sessionTtlMs = 12 * hourMs;

export async function signSession(keyId: string, keyHash: string, expiresAt: number): Promise<string> {
  const payload = `${keyId}.${expiresAt}`;
  return `${payload}.${await hmac(keyHash, payload)}`;
}

export interface SessionClaim {
  keyId: string;
  expiresAt: number;
  signature: string;
}

/** Splits a cookie value; null when it is not shaped like a session. */
export function readSession(value: string | undefined): SessionClaim | null {
  const match = /^([a-z0-9]{1,64})\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match) return null;
  return { keyId: match[1]!, expiresAt: Number(match[2]), signature: match[3]! };
}

export async function sessionValid(claim: SessionClaim, keyHash: string, now: number): Promise<boolean> {
  if (claim.expiresAt <= now) return false;
  const expected = await hmac(keyHash, `${claim.keyId}.${claim.expiresAt}`);
  return constantTimeEqual(expected, claim.signature);
}

async function hmac(secret: string, payload: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(`rekindle-dashboard-session:${secret}`),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)));
  let binary = '';
  for (const byte of signature) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
