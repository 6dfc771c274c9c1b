// Checks a webhook's base64 HMAC-SHA256 signature of the raw body, the scheme
// WooCommerce (X-WC-Webhook-Signature) and Shopify (X-Shopify-Hmac-Sha256)
// share. Web Crypto only, so Node and the Worker check alike; the comparison
// is crypto.subtle.verify's, which is constant-time. Runs before the body is
// parsed, and never logs the secret, the body or the signature.

const encoder = new TextEncoder();
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    // One secret per platform in practice; the map never grows past a handful.
    if (keys.size > 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The bytes of standard base64 (with or without padding), or null when `text` is not base64. */
function fromBase64(text: string): Uint8Array | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed) || trimmed.length % 4 === 1) return null;
  try {
    const binary = atob(trimmed);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/**
 * True when `signature` is the base64 HMAC-SHA256 of `body` keyed with
 * `secret`. A missing, malformed or wrong-length signature is false, never an
 * error.
 */
export async function verifyHmacSha256Base64(
  secret: string,
  body: Uint8Array,
  signature: string | null | undefined,
): Promise<boolean> {
  if (!signature || secret.length === 0) return false;
  const mac = fromBase64(signature);
  // SHA-256 MACs are 32 bytes; the length is public, so checking it first leaks nothing.
  if (mac?.length !== 32) return false;
  return crypto.subtle.verify('HMAC', await hmacKey(secret), mac, body);
}
