// The Node home's token signer: the same tokens as the Web Crypto signer, with
// node:crypto's synchronous HMAC (no thread-pool round trip per request).
import { createHmac } from 'node:crypto';
import { type TokenSigner, tokenSignerWith } from '../../core/tracking/tokens.ts';

export function nodeTokenSigner(secret: string): TokenSigner {
  return tokenSignerWith((payload) => createHmac('sha256', secret).update(payload).digest());
}
