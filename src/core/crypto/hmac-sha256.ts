// HMAC-SHA256 keyed with a secret, as every signature here is made or checked
// (tracking tokens, platform webhooks). Web Crypto works in every home; the
// Node home hands in node:crypto's synchronous HMAC instead
// (src/adapters/crypto/node-signer.ts): Web Crypto there runs each HMAC on
// the libuv thread pool, and under load the queue for it costs more than the
// hashing.

/** HMAC-SHA256 of the bytes under one secret. */
export type HmacSha256 = (payload: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** Makes a home's HMAC for a secret. */
export type HmacSha256For = (secret: string) => HmacSha256;

const encoder = new TextEncoder();

/** Web Crypto's HMAC for `secret`; the key is imported once, on first use. */
export const webHmacSha256: HmacSha256For = (secret) => {
  let key: ReturnType<typeof crypto.subtle.importKey> | undefined;
  return async (payload) => {
    key ??= crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    return new Uint8Array(await crypto.subtle.sign('HMAC', await key, payload as Uint8Array<ArrayBuffer>));
  };
};

/**
 * Whether two MACs are equal, looking at every byte whatever the first
 * difference: how long a wrong guess takes tells an attacker nothing. The
 * length is public (a SHA-256 MAC is 32 bytes), so it may answer early.
 */
export function macsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
