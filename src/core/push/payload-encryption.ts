// Web Push payload encryption (RFC 8291) in the aes128gcm content coding
// (RFC 8188), one record, with Web Crypto only, so the same code runs on Node
// and on the Worker. The application server's key pair and the salt are new
// for every message (a repeated pair would repeat AES-GCM's key and nonce);
// tests pass fixed ones to reproduce RFC 8291's Appendix A.
//
//   ecdh   = ECDH(as_private, ua_public)
//   ikm    = HKDF(salt = auth, ecdh, "WebPush: info" 0x00 ua_public as_public, 32)
//   cek    = HKDF(salt, ikm, "Content-Encoding: aes128gcm" 0x00, 16)
//   nonce  = HKDF(salt, ikm, "Content-Encoding: nonce" 0x00, 12)
//   body   = salt(16) rs(4, big-endian) idlen(1) as_public(65)
//            AES-128-GCM(cek, nonce, plaintext 0x02 0x00*padding)
import { fromBase64Url } from '../crypto/base64url.ts';
import { importP256Private } from '../crypto/p256.ts';

/** RFC 8188's record size: the one record holds the whole payload, so any size above it works. */
const recordSize = 4096;
const headerLength = 16 + 4 + 1 + 65;
const tagLength = 16;
/** The largest plaintext one record carries (the delimiter and the tag take the rest). */
export const maxPayloadBytes = recordSize - tagLength - 1;

export interface PushSubscriptionKeys {
  /** The user agent's P-256 public key, uncompressed (65 bytes), base64url: the subscription's p256dh. */
  p256dh: string;
  /** The subscription's 16-byte auth secret, base64url. */
  auth: string;
}

export interface EncryptionFixtures {
  salt: Uint8Array;
  /** The application server's key pair: the private scalar and the uncompressed public point. */
  serverPrivate: Uint8Array;
  serverPublic: Uint8Array;
}

const text = new TextEncoder();

type WebKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export class PushKeyError extends Error {}

/** The body to POST to the push service with `Content-Encoding: aes128gcm`. */
export async function encryptPushPayload(
  keys: PushSubscriptionKeys,
  plaintext: Uint8Array,
  options: { padTo?: number; fixtures?: EncryptionFixtures } = {},
): Promise<Uint8Array> {
  const uaPublic = fromBase64Url(keys.p256dh);
  const auth = fromBase64Url(keys.auth);
  if (uaPublic?.length !== 65 || uaPublic[0] !== 4)
    throw new PushKeyError('p256dh must be an uncompressed P-256 point (65 bytes, base64url)');
  if (auth?.length !== 16) throw new PushKeyError('auth must be 16 bytes, base64url');
  const padded = Math.max(plaintext.length, options.padTo ?? 0);
  if (padded > maxPayloadBytes)
    throw new PushKeyError(`the payload is ${padded} bytes; one record holds at most ${maxPayloadBytes}`);

  const subtle = globalThis.crypto.subtle;
  const salt = options.fixtures?.salt ?? globalThis.crypto.getRandomValues(new Uint8Array(16));
  const server = options.fixtures
    ? {
        privateKey: await importP256Private(
          options.fixtures.serverPrivate,
          options.fixtures.serverPublic,
          'ECDH',
        ),
        publicRaw: options.fixtures.serverPublic,
      }
    : await newServerKeys();
  const uaKey = await subtle.importKey('raw', uaPublic, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const ecdh = new Uint8Array(
    await subtle.deriveBits({ name: 'ECDH', public: uaKey }, server.privateKey, 256),
  );
  const ikm = await hkdf(auth, ecdh, concat(text.encode('WebPush: info\0'), uaPublic, server.publicRaw), 32);
  const cek = await hkdf(salt, ikm, text.encode('Content-Encoding: aes128gcm\0'), 16);
  const nonce = await hkdf(salt, ikm, text.encode('Content-Encoding: nonce\0'), 12);

  // The last (and only) record: the plaintext, the delimiter 0x02, then zeros.
  const record = new Uint8Array(padded + 1);
  record.set(plaintext);
  record[plaintext.length] = 2;
  const aesKey = await subtle.importKey('raw', cek, 'AES-GCM', false, ['encrypt']);
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: nonce }, aesKey, record));

  const header = new Uint8Array(headerLength);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, recordSize);
  header[20] = 65;
  header.set(server.publicRaw, 21);
  return concat(header, sealed);
}

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(
    await globalThis.crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, bytes * 8),
  );
}

async function newServerKeys(): Promise<{ privateKey: WebKey; publicRaw: Uint8Array }> {
  const pair = (await globalThis.crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ])) as { privateKey: WebKey; publicKey: WebKey };
  const publicRaw = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicRaw };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
