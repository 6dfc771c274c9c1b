// The Node home's HMAC and token signer: the same MACs and tokens as Web
// Crypto's, with node:crypto's synchronous HMAC (no thread-pool round trip
// per request).
import { createHmac } from 'node:crypto';
import type { HmacSha256For } from '../../core/crypto/hmac-sha256.ts';
import { type TokenSigner, tokenSignerWith } from '../../core/tracking/tokens.ts';

export const nodeHmacSha256: HmacSha256For = (secret) => (payload) =>
  createHmac('sha256', secret).update(payload).digest();

export function nodeTokenSigner(secret: string): TokenSigner {
  return tokenSignerWith(nodeHmacSha256(secret));
}
