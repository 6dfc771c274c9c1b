// The shopper token: what a shop's own server renders into its pages so that
// the browse script (browse-script.ts) can post what the signed-in shopper
// looks at to the public POST /b/events, which has no API key to check. The
// one owner of the format:
//
//   <customer id>.<lowercase hex HMAC-SHA256 of "rekindle-shopper:<customer id>">
//
// keyed with SHOPPER_TOKEN_SECRET. Hex rather than the tracking tokens'
// base64url because hex is what the shop's own tools print: Shopify Liquid's
// `hmac_sha256` filter and PHP's `hash_hmac('sha256', ...)`
// (https://shopify.dev/docs/api/liquid/filters/hmac_sha256), so a theme or a
// plugin signs with no code of ours. The purpose prefix sets its MAC apart
// from every other one made here, and the shape does too: a tracking token
// (tokens.ts: base64url, a 16-byte MAC) never verifies as a shopper token,
// even under the same secret.
//
// The token says only "the shop's server vouched for this customer"; it does
// not expire (pages render a new one each time, and caching a signed-in page
// is the shop's concern). A leaked token lets its holder post browse events
// for that one customer, within the route's rate limit, until the secret
// changes. It carries no address. Pure: the HMAC is handed in.

import { fromHex, toHex } from '../crypto/hex.ts';
import { type HmacSha256, macsEqual } from '../crypto/hmac-sha256.ts';

/** Signed before the customer id, so this MAC is never one made for another purpose. */
export const shopperTokenPurpose = 'rekindle-shopper:';

/** A customer id (at most 255 characters, as the ingest schemas allow), its dot and 64 hex digits. */
export const maxShopperTokenLength = 255 + 1 + 64;

const macBytes = 32;
const encoder = new TextEncoder();

/** The text the MAC is made over, as the platform snippets build it too. */
export function shopperSignedText(customerId: string): string {
  return `${shopperTokenPurpose}${customerId}`;
}

export interface ShopperTokens {
  sign(customerId: string): Promise<string>;
  /** The customer the token was signed for, or null for anything this secret did not sign. */
  verify(token: string): Promise<string | null>;
}

/** Shopper tokens over a home's HMAC (webHmacSha256, or Node's synchronous one) for the secret. */
export function shopperTokensWith(hmac: HmacSha256): ShopperTokens {
  const mac = async (customerId: string) => hmac(encoder.encode(shopperSignedText(customerId)));
  return {
    async sign(customerId) {
      if (!isCustomerId(customerId))
        throw new Error('a shopper token names a non-blank, trimmed customer id');
      return `${customerId}.${toHex(await mac(customerId))}`;
    },
    async verify(token) {
      // Longer than any token sign makes: refused before any hashing.
      if (token.length > maxShopperTokenLength) return null;
      // The last dot: a customer id may hold dots, the hex never does.
      const dot = token.lastIndexOf('.');
      if (dot === -1) return null;
      const customerId = token.slice(0, dot);
      if (!isCustomerId(customerId)) return null;
      const given = fromHex(token.slice(dot + 1));
      // A SHA-256 MAC is 32 bytes; the length is public, so this early answer leaks nothing.
      if (given === null || given.length !== macBytes) return null;
      return macsEqual(given, await mac(customerId)) ? customerId : null;
    },
  };
}

// As the ingest schemas store ids: trimmed, not blank, at most 255 characters.
function isCustomerId(id: string): boolean {
  return id.length > 0 && id.length <= 255 && id.trim() === id;
}
