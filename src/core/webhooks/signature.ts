// How an event delivery is signed, the one owner of the header format:
// `Rekindle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`,
// keyed with the endpoint's secret, and the same <t> in `Rekindle-Timestamp`.
// Signing the timestamp with the body lets the shop refuse a replayed delivery
// (an old t) as well as a forged one. Web Crypto only, so Node and the Worker
// sign alike. Never logs the secret or the body.
import { toHex } from '../crypto/hex.ts';

export const eventHeaders = {
  id: 'Rekindle-Event-Id',
  timestamp: 'Rekindle-Timestamp',
  signature: 'Rekindle-Signature',
} as const;

/** Signs bodies with one secret; the key is imported once, on first use. */
export type EventSigner = (unixSeconds: number, body: string) => Promise<string>;

export function eventSigner(secret: string): EventSigner {
  const encoder = new TextEncoder();
  let key: ReturnType<typeof crypto.subtle.importKey> | undefined;
  return async (unixSeconds, body) => {
    key ??= crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    const mac = await crypto.subtle.sign('HMAC', await key, encoder.encode(`${unixSeconds}.${body}`));
    return `t=${unixSeconds},v1=${toHex(new Uint8Array(mac))}`;
  };
}
