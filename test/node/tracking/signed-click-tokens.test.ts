// Click tokens with their link signed in (src/core/tracking/tokens.ts): they
// round-trip on both signers, no change to any part verifies, a link too long
// for a token falls back to the index-only form, and the index-only tokens of
// emails already sent still verify as before.
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeTokenSigner } from '../../../src/adapters/crypto/node-signer.ts';
import {
  createTokenSigner,
  maxTokenLength,
  type TokenSigner,
  type TrackingClaim,
} from '../../../src/core/tracking/tokens.ts';
import { trackLinks } from '../../../src/core/tracking/track-links.ts';

const secret = 'the-first-secret-0123456789';
let signer: TokenSigner;
let other: TokenSigner;

beforeAll(async () => {
  signer = await createTokenSigner(secret);
  other = await createTokenSigner('the-other-secret-0123456789');
});

const b64 = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

describe('click tokens with the link signed in', () => {
  it.each<TrackingClaim>([
    { purpose: 'click', messageId: 'msg-1', linkIndex: 0, target: 'https://shop.example/' },
    {
      purpose: 'click',
      messageId: 'msg:with:colons',
      linkIndex: 7,
      target: 'https://shop.example/p/1?utm_source=rekindle&b=2#top',
    },
    { purpose: 'click', messageId: 'm', linkIndex: 1, target: 'https://bücher.example/straße?q=ü' },
  ])('round-trip %o in three parts', async (claim) => {
    const token = await signer.sign(claim);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await signer.verify(token)).toEqual(claim);
    expect(await other.verify(token)).toBeNull();
  });

  it('refuses a token with any single character changed', async () => {
    const token = await signer.sign({
      purpose: 'click',
      messageId: 'msg-1',
      linkIndex: 2,
      target: 'https://a.example/x',
    });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const accepted: string[] = [];
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      for (const char of alphabet) {
        if (char === token[i]) continue;
        const altered = token.slice(0, i) + char + token.slice(i + 1);
        if (await signer.verify(altered)) accepted.push(altered);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses another link, or no link, under the signature of one', async () => {
    const token = await signer.sign({
      purpose: 'click',
      messageId: 'msg-1',
      linkIndex: 0,
      target: 'https://shop.example/',
    });
    const [payload, , mac] = token.split('.') as [string, string, string];
    expect(await signer.verify(`${payload}.${b64('https://evil.example/')}.${mac}`)).toBeNull();
    expect(await signer.verify(`${payload}.${mac}`)).toBeNull();
    expect(await signer.verify(`${payload}..${mac}`)).toBeNull();
    // The link of another signed token with this one's payload and MAC.
    const second = await signer.sign({
      purpose: 'click',
      messageId: 'msg-1',
      linkIndex: 0,
      target: 'https://evil.example/',
    });
    expect(await signer.verify(`${payload}.${second.split('.')[1]}.${mac}`)).toBeNull();
  });

  it('refuses a signed link on a token that is not a click', async () => {
    // Signed with the right key, the way the signer does, for an open.
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const signRaw = async (signed: string) => {
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed)));
      return `${signed}.${btoa(String.fromCharCode(...mac.slice(0, 16)))
        .replaceAll('+', '-')
        .replaceAll('/', '_')
        .replace(/=+$/, '')}`;
    };
    const link = b64('https://shop.example/');
    // Control: the same construction verifies for a click.
    expect(await signer.verify(await signRaw(`${b64('c:0:msg-1')}.${link}`))).toEqual({
      purpose: 'click',
      messageId: 'msg-1',
      linkIndex: 0,
      target: 'https://shop.example/',
    });
    expect(await signer.verify(await signRaw(`${b64('o::msg-1')}.${link}`))).toBeNull();
    expect(await signer.verify(await signRaw(`${b64('u::msg-1')}.${link}`))).toBeNull();
    // Bytes that are not UTF-8 (base64url '__4' is 0xff 0xfe) are no link.
    expect(await signer.verify(await signRaw(`${b64('c:0:msg-1')}.__4`))).toBeNull();
  });

  it('signs a link too long for a token in the index-only form, which is still a valid click', async () => {
    const target = `https://shop.example/${'a'.repeat(maxTokenLength)}`;
    const token = await signer.sign({ purpose: 'click', messageId: 'msg-1', linkIndex: 4, target });
    expect(token.split('.')).toHaveLength(2);
    expect(await signer.verify(token)).toEqual({ purpose: 'click', messageId: 'msg-1', linkIndex: 4 });
    // Around the bound: every three-part token fits, and the first link that
    // would not fit goes to the two-part form.
    const forms = new Set<number>();
    for (let n = 1450; n < 1600; n++) {
      const signed = await signer.sign({
        purpose: 'click',
        messageId: 'msg-1',
        linkIndex: 4,
        target: `https://shop.example/${'a'.repeat(n)}`,
      });
      forms.add(signed.split('.').length);
      expect(signed.length).toBeLessThanOrEqual(maxTokenLength);
    }
    expect([...forms].sort()).toEqual([2, 3]);
  });

  it('refuses, unhashed, a token longer than any it makes', async () => {
    const token = await signer.sign({ purpose: 'open', messageId: `m${'x'.repeat(maxTokenLength)}` });
    expect(token.length).toBeGreaterThan(maxTokenLength);
    expect(await signer.verify(token)).toBeNull();
  });

  it('makes the same tokens on the Node signer, and each verifies the other', async () => {
    const node = nodeTokenSigner(secret);
    const claim = {
      purpose: 'click' as const,
      messageId: 'm-42',
      linkIndex: 3,
      target: 'https://a.example/?q=1',
    };
    const token = await node.sign(claim);
    expect(token).toBe(await signer.sign(claim));
    expect(await signer.verify(token)).toEqual(claim);
    expect(await node.verify(await signer.sign(claim))).toEqual(claim);
  });
});

describe('trackLinks with signTargets', () => {
  it("signs each link's text, as the message stores it, into its click token", async () => {
    const html =
      '<a href="https://shop.example/p/1?utm=a&amp;b=2">A</a><a href="https://shop.example/cart">B</a>' +
      '<a href="https://shop.example/p/1?utm=a&amp;b=2">A again</a></body>';
    const tracked = await trackLinks({
      html,
      text: 'Cart: https://shop.example/cart.',
      messageId: 'msg-9',
      signer,
      baseUrl: 'https://mail.shop.example',
      signTargets: true,
    });
    const tokens = [...tracked.html.matchAll(/href="https:\/\/mail\.shop\.example\/t\/c\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(tokens).toHaveLength(3);
    const claims = await Promise.all(tokens.map((token) => signer.verify(token)));
    expect(claims).toEqual(
      [0, 1, 0].map((linkIndex) => ({
        purpose: 'click',
        messageId: 'msg-9',
        linkIndex,
        target: tracked.links[linkIndex],
      })),
    );
    expect(tracked.links).toEqual(['https://shop.example/p/1?utm=a&b=2', 'https://shop.example/cart']);
    expect(tracked.text).toBe(`Cart: https://mail.shop.example/t/c/${tokens[1]}.`);
  });
});
