// Twilio's request signature (X-Twilio-Signature), which its status callbacks
// and inbound-message webhooks carry: base64 of HMAC-SHA1, keyed with the
// account's auth token, over the full URL Twilio requested followed by every
// POST parameter, sorted by name, as name then value with nothing between
// (https://www.twilio.com/docs/usage/webhooks/webhooks-security). A repeated
// name contributes each of its distinct values, sorted, as Twilio's own
// libraries sign it. Web Crypto only; compared in constant time.
import { macsEqual } from '../crypto/hmac-sha256.ts';

const encoder = new TextEncoder();

/** The signature Twilio sends for `url` and these form parameters. */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: readonly (readonly [string, string])[],
): Promise<string> {
  const pairs = [...new Set(params.map(([name, value]) => JSON.stringify([name, value])))].map(
    (pair) => JSON.parse(pair) as [string, string],
  );
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const signed = url + pairs.map(([name, value]) => name + value).join('');
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(authToken),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signed)));
  return btoa(String.fromCharCode(...mac));
}

/** Whether `header` is Twilio's signature for the request; false for a missing or malformed one. */
export async function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: readonly (readonly [string, string])[],
  header: string | null | undefined,
): Promise<boolean> {
  if (!header || header.length > 64) return false;
  const expected = await twilioSignature(authToken, url, params);
  return macsEqual(encoder.encode(expected), encoder.encode(header));
}
