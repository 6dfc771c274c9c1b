import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashEmail, hashEmailSync, normalizeEmail } from '../../src/core/email-hash.ts';
import { sha256Hex } from '../../src/core/sha256.ts';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('hashEmail', () => {
  it('is the hex SHA-256 of the trimmed, lowercased address', async () => {
    // printf 'ann@example.com' | sha256sum
    const expected = '71d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476';
    expect(await hashEmail('ann@example.com')).toBe(expected);
    expect(await hashEmail('  Ann@Example.COM\n')).toBe(expected);
    expect(hashEmailSync('ANN@example.com ')).toBe(expected);
    expect(normalizeEmail(' A@B.c ')).toBe('a@b.c');
  });

  it('differs for different addresses', async () => {
    expect(await hashEmail('a@example.com')).not.toBe(await hashEmail('b@example.com'));
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto at every length around the block edges, and for non-ASCII text', () => {
    for (let length = 0; length <= 200; length++) {
      const codes = Array.from({ length }, (_, i) => 33 + ((i * 7 + length) % 90));
      const text = String.fromCharCode(...codes);
      expect(sha256Hex(text)).toBe(nodeSha256(text));
    }
    for (const text of ['zoë@exämple.com', '用户@例子.广告', 'emoji😀@example.com', 'x'.repeat(5000)]) {
      expect(sha256Hex(text)).toBe(nodeSha256(text));
    }
  });
});
