// Checks a webhook's signature: the base64 HMAC-SHA256 of the raw body, keyed
// with the shared secret, as Shopify (X-Shopify-Hmac-Sha256) and WooCommerce
// (X-WC-Webhook-Signature) send it. Web Crypto only, so the same code runs on
// Node and on the Worker; crypto.subtle.verify compares in constant time, so
// an attacker learns nothing from how long a wrong guess takes. Runs before
// the body is parsed: an unsigned body is never read.

export type SignatureCheck = (body: Uint8Array, signature: string | null | undefined) => Promise<boolean>;

/** A checker for one secret; the key is imported once, on first use. */
export function hmacSha256Base64Verifier(secret: string): SignatureCheck {
  let key: ReturnType<typeof crypto.subtle.importKey> | undefined;
  return async (body, signature) => {
    const mac = signature ? decodeBase64(signature.trim()) : null;
    // SHA-256 MACs are 32 bytes; the length is public, so this early answer leaks nothing.
    if (mac === null || mac.length !== 32) return false;
    key ??= crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    return crypto.subtle.verify(
      'HMAC',
      await key,
      mac as Uint8Array<ArrayBuffer>,
      body as Uint8Array<ArrayBuffer>,
    );
  };
}

/** The base64 signature of `body` under `secret`: for tests and stand-ins that sign as the platform does. */
export async function signHmacSha256Base64(secret: string, body: Uint8Array | string): Promise<string> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes as Uint8Array<ArrayBuffer>));
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
