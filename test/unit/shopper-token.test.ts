// The shopper token's one format: signed and verified alike by Web Crypto and
// Node's HMAC, equal to the recipe the platform snippets print (hex HMAC of
// the purpose-prefixed id), and refused whenever anything in it changes: the
// MAC, the customer, the purpose, the spelling, the secret, or a token made
// for another purpose (a tracking token) under the same secret.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeHmacSha256 } from '../../src/adapters/crypto/node-signer.ts';
import { webHmacSha256 } from '../../src/core/crypto/hmac-sha256.ts';
import {
  maxShopperTokenLength,
  shopperTokenPurpose,
  shopperTokensWith,
} from '../../src/core/tracking/shopper-token.ts';
import { createTokenSigner } from '../../src/core/tracking/tokens.ts';

const secret = 'shopper-secret-0123456789';
const web = shopperTokensWith(webHmacSha256(secret));
const node = shopperTokensWith(nodeHmacSha256(secret));

const recipe = (id: string, key = secret, purpose = shopperTokenPurpose) =>
  `${id}.${createHmac('sha256', key).update(`${purpose}${id}`).digest('hex')}`;

describe('shopper tokens', () => {
  it('are <customer id>.<hex HMAC of the purpose-prefixed id>, the same in both homes', async () => {
    for (const id of ['450789469', 'cust.with.dots', 'ünïcode-1']) {
      const token = await web.sign(id);
      expect(token).toBe(recipe(id));
      expect(await node.sign(id)).toBe(token);
      expect(await web.verify(token)).toBe(id);
      expect(await node.verify(token)).toBe(id);
    }
    expect(shopperTokenPurpose).toBe('rekindle-shopper:');
  });

  it('refuses a tampered MAC, another customer, capitals and odd lengths', async () => {
    const token = await web.sign('ada');
    const mac = token.slice('ada.'.length);
    const flipped = mac.slice(0, 10) + (mac[10] === '0' ? '1' : '0') + mac.slice(11);
    for (const bad of [
      `ada.${flipped}`,
      `bob.${mac}`,
      `ada.${mac.toUpperCase()}`,
      `ada.${mac.slice(0, -1)}`,
      `ada.${mac}0`,
      `ada.${mac}00`,
      `ada${mac}`,
      mac,
      `.${mac}`,
      ` ada.${mac}`,
      `ada.`,
      '',
    ]) {
      expect(await web.verify(bad), bad).toBeNull();
    }
  });

  it('refuses a MAC made without the purpose, for another purpose or with another secret', async () => {
    expect(await web.verify(recipe('ada', secret, ''))).toBeNull();
    expect(await web.verify(recipe('ada', secret, 'rekindle-other:'))).toBeNull();
    expect(await web.verify(recipe('ada', 'another-secret-0123456789'))).toBeNull();
  });

  it('never takes a tracking token made with the same secret', async () => {
    const tracking = await createTokenSigner(secret);
    for (const purpose of ['open', 'click', 'unsubscribe'] as const) {
      const token = await tracking.sign({ purpose, messageId: 'ada', linkIndex: 0 });
      expect(await web.verify(token), purpose).toBeNull();
    }
  });

  it('refuses, unhashed, a token longer than any it signs, and signs only ids the store keeps', async () => {
    const longest = await web.sign('x'.repeat(255));
    expect(longest.length).toBe(maxShopperTokenLength);
    expect(await web.verify(longest)).toBe('x'.repeat(255));
    let hashed = 0;
    const counting = shopperTokensWith((payload) => {
      hashed++;
      return nodeHmacSha256(secret)(payload);
    });
    expect(await counting.verify(`x${longest}`)).toBeNull();
    expect(hashed).toBe(0);
    await expect(web.sign('')).rejects.toThrow();
    await expect(web.sign(' ada')).rejects.toThrow();
  });
});
