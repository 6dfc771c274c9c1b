// P-256 keys for Web Crypto from their raw parts: the private scalar and the
// uncompressed public point (0x04 || x || y, 65 bytes), as Web Push and VAPID
// carry them. Web Crypto takes no raw private key, so it goes through a JWK.
import { toBase64Url } from './base64url.ts';

type WebKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export function importP256Private(
  scalar: Uint8Array,
  publicPoint: Uint8Array,
  use: 'ECDH' | 'ECDSA',
): Promise<WebKey> {
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    d: toBase64Url(scalar),
    x: toBase64Url(publicPoint.subarray(1, 33)),
    y: toBase64Url(publicPoint.subarray(33, 65)),
    ext: false,
  };
  return crypto.subtle.importKey('jwk', jwk, { name: use, namedCurve: 'P-256' }, false, [
    use === 'ECDH' ? 'deriveBits' : 'sign',
  ]);
}
