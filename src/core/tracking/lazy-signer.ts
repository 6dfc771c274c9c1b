// A TokenSigner that can be built synchronously (the Worker wires its app in
// a synchronous step): the HMAC key is imported on first use and reused.
import { createTokenSigner, type TokenSigner } from './tokens.ts';

export function lazyTokenSigner(secret: string): TokenSigner {
  let ready: Promise<TokenSigner> | undefined;
  const signer = () => {
    ready ??= createTokenSigner(secret);
    return ready;
  };
  return {
    sign: async (claim) => (await signer()).sign(claim),
    verify: async (token) => (await signer()).verify(token),
  };
}
