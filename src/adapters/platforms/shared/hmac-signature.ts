// Checks a webhook's signature: the base64 HMAC-SHA256 of the raw body, keyed
// with the shared secret, as Shopify (X-Shopify-Hmac-Sha256) and WooCommerce
// (X-WC-Webhook-Signature) send it. Web Crypto, so the same code runs on Node
// and on the Worker. (node:crypto's synchronous HMAC, which the click redirect
// uses, made the webhooks bench slower: the pool's HMAC of a 10 KB body runs
// beside the main thread.) The MACs are compared in constant time, so an
// attacker learns nothing from how long a wrong guess takes. Runs before the
// body is parsed: an unsigned body is never read.
import { macsEqual, webHmacSha256 } from '../../../core/crypto/hmac-sha256.ts';

export type SignatureCheck = (body: Uint8Array, signature: string | null | undefined) => Promise<boolean>;

/** A checker for one secret. */
export function hmacSha256Base64Verifier(secret: string): SignatureCheck {
  const hmac = webHmacSha256(secret);
  return async (body, signature) => {
    const mac = signature ? decodeBase64(signature.trim()) : null;
    // SHA-256 MACs are 32 bytes; the length is public, so this early answer leaks nothing.
    if (mac === null || mac.length !== 32) return false;
    return macsEqual(mac, await hmac(body));
  };
}

/** The base64 signature of `body` under `secret`: for tests and stand-ins that sign as the platform does. */
export async function signHmacSha256Base64(secret: string, body: Uint8Array | string): Promise<string> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const mac = await webHmacSha256(secret)(bytes);
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function decodeBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}
