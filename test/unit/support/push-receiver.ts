// The user agent's side of RFC 8291, for tests: opens an aes128gcm body with
// the subscription's private key and auth secret, as a browser does, and
// takes the padding off. Web Crypto only, so workerd runs it too.
import { fromBase64Url } from '../../../src/core/crypto/base64url.ts';
import { importP256Private } from '../../../src/core/crypto/p256.ts';

const text = new TextEncoder();

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, bytes * 8),
  );
}

export async function decryptAsUserAgent(
  body: Uint8Array,
  uaPrivate: string,
  uaPublic: string,
  authSecret: string,
): Promise<Uint8Array> {
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const serverPublic = body.subarray(21, 21 + idLength);
  const sealed = body.subarray(21 + idLength);
  const ua = fromBase64Url(uaPublic)!;
  const privateKey = await importP256Private(fromBase64Url(uaPrivate)!, ua, 'ECDH');
  const serverKey = await crypto.subtle.importKey(
    'raw',
    serverPublic,
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const ecdh = new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'ECDH', public: serverKey }, privateKey, 256),
  );
  const info = new Uint8Array([...text.encode('WebPush: info\0'), ...ua, ...serverPublic]);
  const ikm = await hkdf(fromBase64Url(authSecret)!, ecdh, info, 32);
  const cek = await hkdf(salt, ikm, text.encode('Content-Encoding: aes128gcm\0'), 16);
  const nonce = await hkdf(salt, ikm, text.encode('Content-Encoding: nonce\0'), 12);
  const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
  const record = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce }, key, sealed));
  // The last record ends in 0x02 and then zeros.
  let end = record.length - 1;
  while (end >= 0 && record[end] === 0) end--;
  if (record[end] !== 2) throw new Error('no last-record delimiter');
  return record.subarray(0, end);
}
