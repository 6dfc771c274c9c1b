// VAPID (RFC 8292) on a push request: the header's shape, a JWT whose
// signature the public key verifies (ES256 signatures are not repeatable, so
// the check is the verification, not bytes), the claims the RFC asks for,
// and refusals that name what is wrong.
import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../src/core/crypto/base64url.ts';
import { maxVapidLifetimeMs, newVapidKeys, vapidAuthorization } from '../../src/core/push/vapid.ts';

const now = Date.parse('2026-12-08T01:00:00Z');
const endpoint = 'https://push.example.net/send/abc123?x=1';
const text = new TextDecoder();

async function verify(header: string, publicKey: string) {
  const match = /^vapid t=([^.]+)\.([^.]+)\.([^,]+), k=(.+)$/.exec(header);
  if (!match) throw new Error(`not a VAPID header: ${header}`);
  const [, head, claims, signature, k] = match as unknown as [string, string, string, string, string];
  const key = await crypto.subtle.importKey(
    'raw',
    fromBase64Url(publicKey)!,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const valid = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    fromBase64Url(signature)!,
    new TextEncoder().encode(`${head}.${claims}`),
  );
  return {
    valid,
    k,
    header: JSON.parse(text.decode(fromBase64Url(head)!)),
    claims: JSON.parse(text.decode(fromBase64Url(claims)!)),
  };
}

describe('vapidAuthorization', () => {
  it('signs a JWT for the push service origin that the public key verifies', async () => {
    const keys = await newVapidKeys();
    expect(fromBase64Url(keys.publicKey)?.length).toBe(65);
    expect(fromBase64Url(keys.privateKey)?.length).toBe(32);
    const header = await vapidAuthorization(endpoint, keys, 'mailto:shop@example.com', now);
    const seen = await verify(header, keys.publicKey);
    expect(seen).toMatchObject({
      valid: true,
      k: keys.publicKey,
      header: { typ: 'JWT', alg: 'ES256' },
      claims: {
        aud: 'https://push.example.net',
        exp: Math.floor(now / 1000) + 12 * 3600,
        sub: 'mailto:shop@example.com',
      },
    });
    // Another key pair's public key does not verify it.
    expect((await verify(header, (await newVapidKeys()).publicKey)).valid).toBe(false);
  });

  it('refuses a subject, a lifetime or keys the RFC does not allow', async () => {
    const keys = await newVapidKeys();
    await expect(vapidAuthorization(endpoint, keys, 'shop@example.com', now)).rejects.toThrow(
      /mailto: or https:/,
    );
    await expect(
      vapidAuthorization(endpoint, keys, 'https://shop.example', now, now + maxVapidLifetimeMs + 1),
    ).rejects.toThrow(/24 hours/);
    await expect(vapidAuthorization(endpoint, keys, 'https://shop.example', now, now)).rejects.toThrow(
      /24 hours/,
    );
    await expect(
      vapidAuthorization(endpoint, { ...keys, privateKey: keys.publicKey }, 'https://shop.example', now),
    ).rejects.toThrow(/private key must be 32 bytes/);
    await expect(
      vapidAuthorization(endpoint, { ...keys, publicKey: keys.privateKey }, 'https://shop.example', now),
    ).rejects.toThrow(/public key must be an uncompressed/);
  });
});
