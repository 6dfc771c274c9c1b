// VAPID (RFC 8292): the application server's identity on a push request, a
// JWT signed with ES256 (ECDSA P-256, SHA-256) by the server's long-lived
// key, sent as `Authorization: vapid t=<jwt>, k=<public key>`. The JWT names
// the push service's origin (aud), when it expires (exp, at most 24 hours
// ahead) and whom to contact (sub, a mailto: or https: URL). Web Crypto only.
import { fromBase64Url, toBase64Url } from '../crypto/base64url.ts';
import { importP256Private } from '../crypto/p256.ts';
import { PushKeyError } from './payload-encryption.ts';

/** RFC 8292 section 2: a push service may refuse a token that lives longer than a day. */
export const maxVapidLifetimeMs = 24 * 60 * 60 * 1000;

export interface VapidKeys {
  /** The uncompressed P-256 public point (65 bytes), base64url: what the subscribe script hands the browser. */
  publicKey: string;
  /** The private scalar (32 bytes), base64url; a secret from the environment. */
  privateKey: string;
}

const encoder = new TextEncoder();
type ExportableKey = Parameters<typeof crypto.subtle.exportKey>[1];
const json = (value: unknown) => toBase64Url(encoder.encode(JSON.stringify(value)));

/** The Authorization header for a push to `endpoint`, valid until `expiresAt` (ms). */
export async function vapidAuthorization(
  endpoint: string,
  keys: VapidKeys,
  subject: string,
  now: number,
  expiresAt = now + 12 * 60 * 60 * 1000,
): Promise<string> {
  if (!/^(mailto:|https:\/\/)/.test(subject))
    throw new PushKeyError('the VAPID subject must be a mailto: or https: URL');
  if (expiresAt <= now || expiresAt - now > maxVapidLifetimeMs)
    throw new PushKeyError('a VAPID token must expire within 24 hours');
  const publicPoint = fromBase64Url(keys.publicKey);
  const scalar = fromBase64Url(keys.privateKey);
  if (publicPoint?.length !== 65 || publicPoint[0] !== 4)
    throw new PushKeyError('the VAPID public key must be an uncompressed P-256 point (65 bytes, base64url)');
  if (scalar?.length !== 32) throw new PushKeyError('the VAPID private key must be 32 bytes, base64url');
  const signingInput = `${json({ typ: 'JWT', alg: 'ES256' })}.${json({
    aud: new URL(endpoint).origin,
    exp: Math.floor(expiresAt / 1000),
    sub: subject,
  })}`;
  const key = await importP256Private(scalar, publicPoint, 'ECDSA');
  // Web Crypto's ECDSA signature is r || s, 64 bytes: JWS's ES256 form already.
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, encoder.encode(signingInput)),
  );
  return `vapid t=${signingInput}.${toBase64Url(signature)}, k=${keys.publicKey}`;
}

/** A new VAPID key pair (`rekindle keys vapid`). */
export async function newVapidKeys(): Promise<VapidKeys> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as { privateKey: ExportableKey; publicKey: ExportableKey };
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const publicRaw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { publicKey: toBase64Url(publicRaw), privateKey: String(jwk.d) };
}
