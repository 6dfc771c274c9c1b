// Web Push payload encryption (RFC 8291, aes128gcm): RFC 8291's Appendix A
// reproduced byte for byte, a fresh key and salt each message otherwise, the
// receiver's side opening what was sealed (padding included), and bad keys
// refused by name. The same checks run in workerd (test/worker/push-encryption.test.ts).
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../src/core/crypto/base64url.ts';
import { encryptPushPayload, maxPayloadBytes, PushKeyError } from '../../src/core/push/payload-encryption.ts';
import { rfc8291Example as rfc } from '../fixtures/rfc8291/appendix-a.ts';
import { decryptAsUserAgent } from './support/push-receiver.ts';

const bytes = (text: string) => fromBase64Url(text)!;
const plaintext = new TextEncoder().encode(rfc.plaintext);
const keys = { p256dh: rfc.uaPublic, auth: rfc.authSecret };
const fixtures = {
  salt: bytes(rfc.salt),
  serverPrivate: bytes(rfc.asPrivate),
  serverPublic: bytes(rfc.asPublic),
};

describe('RFC 8291 payload encryption', () => {
  it("reproduces Appendix A's message from its inputs", async () => {
    const body = await encryptPushPayload(keys, plaintext, { fixtures });
    expect(toBase64Url(body)).toBe(rfc.message);
  });

  it('draws a new server key and salt for every message, and the user agent opens each', async () => {
    const one = await encryptPushPayload(keys, plaintext);
    const two = await encryptPushPayload(keys, plaintext);
    expect(toBase64Url(one.subarray(0, 16))).not.toBe(toBase64Url(two.subarray(0, 16)));
    expect(toBase64Url(one.subarray(21, 86))).not.toBe(toBase64Url(two.subarray(21, 86)));
    for (const body of [one, two]) {
      expect(
        new TextDecoder().decode(await decryptAsUserAgent(body, rfc.uaPrivate, rfc.uaPublic, rfc.authSecret)),
      ).toBe(rfc.plaintext);
    }
  });

  it('pads to the size asked, and the padding comes off on the other side', async () => {
    const body = await encryptPushPayload(keys, plaintext, { padTo: 200 });
    expect(body.length).toBe(86 + 200 + 1 + 16);
    const opened = await decryptAsUserAgent(body, rfc.uaPrivate, rfc.uaPublic, rfc.authSecret);
    expect(new TextDecoder().decode(opened)).toBe(rfc.plaintext);
  });

  it('refuses a bad subscription key, auth secret or an oversized payload by name', async () => {
    await expect(encryptPushPayload({ ...keys, p256dh: rfc.authSecret }, plaintext)).rejects.toThrow(
      /p256dh/,
    );
    await expect(encryptPushPayload({ ...keys, auth: rfc.uaPublic }, plaintext)).rejects.toThrow(/auth/);
    await expect(encryptPushPayload({ ...keys, auth: 'not base64url!' }, plaintext)).rejects.toThrow(
      PushKeyError,
    );
    await expect(encryptPushPayload(keys, new Uint8Array(maxPayloadBytes + 1))).rejects.toThrow(
      `at most ${maxPayloadBytes}`,
    );
  });
});

describe('base64url', () => {
  it('round-trips every length and refuses padding, other alphabets and non-zero leftover bits', () => {
    for (let n = 0; n < 40; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(fromBase64Url(toBase64Url(data))).toEqual(data);
    }
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    for (const bad of ['YQ==', 'a+b/', 'A', 'YR']) expect(fromBase64Url(bad)).toBeNull();
  });
});
