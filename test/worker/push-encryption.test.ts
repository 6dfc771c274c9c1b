// RFC 8291's Appendix A reproduced in workerd: the Worker's Web Crypto (ECDH
// P-256, HKDF, AES-GCM) makes the same bytes as Node's, and the user agent's
// side opens a message sealed with a fresh key.
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../src/core/crypto/base64url.ts';
import { encryptPushPayload } from '../../src/core/push/payload-encryption.ts';
import { newVapidKeys, vapidAuthorization } from '../../src/core/push/vapid.ts';
import { rfc8291Example as rfc } from '../fixtures/rfc8291/appendix-a.ts';
import { decryptAsUserAgent } from '../unit/support/push-receiver.ts';

const bytes = (text: string) => fromBase64Url(text)!;

describe('RFC 8291 payload encryption in workerd', () => {
  it("reproduces Appendix A's message and opens a fresh one", async () => {
    const keys = { p256dh: rfc.uaPublic, auth: rfc.authSecret };
    const plaintext = new TextEncoder().encode(rfc.plaintext);
    const fixtures = {
      salt: bytes(rfc.salt),
      serverPrivate: bytes(rfc.asPrivate),
      serverPublic: bytes(rfc.asPublic),
    };
    expect(toBase64Url(await encryptPushPayload(keys, plaintext, { fixtures }))).toBe(rfc.message);
    const fresh = await encryptPushPayload(keys, plaintext, { padTo: 64 });
    const opened = await decryptAsUserAgent(fresh, rfc.uaPrivate, rfc.uaPublic, rfc.authSecret);
    expect(new TextDecoder().decode(opened)).toBe(rfc.plaintext);
  });

  it('signs a VAPID token the public key verifies', async () => {
    const keys = await newVapidKeys();
    const header = await vapidAuthorization(
      'https://push.example.net/x',
      keys,
      'mailto:a@example.com',
      Date.now(),
    );
    const [jwt] = header.slice('vapid t='.length).split(', k=');
    const [head, claims, signature] = jwt!.split('.') as [string, string, string];
    const key = await crypto.subtle.importKey(
      'raw',
      bytes(keys.publicKey),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    const signed = new TextEncoder().encode(`${head}.${claims}`);
    expect(
      await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, bytes(signature), signed),
    ).toBe(true);
  });
});
