// The one HMAC-SHA256 every signature here goes through, against RFC 4231's
// test vector (section 4.3, test case 2) in both homes' implementations, and
// the constant-time comparison of MACs.
import { describe, expect, it } from 'vitest';
import { nodeHmacSha256 } from '../../src/adapters/crypto/node-signer.ts';
import { macsEqual, webHmacSha256 } from '../../src/core/crypto/hmac-sha256.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('HMAC-SHA256', () => {
  it("matches RFC 4231's test case 2 (key 'Jefe') in Web Crypto and in node:crypto", async () => {
    const data = new TextEncoder().encode('what do ya want for nothing?');
    const expected = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(hex(await webHmacSha256('Jefe')(data))).toBe(expected);
    expect(hex(await nodeHmacSha256('Jefe')(data))).toBe(expected);
  });

  it('compares MACs byte by byte: equal, one bit off, another length', () => {
    const a = Uint8Array.from([1, 2, 3, 4]);
    expect(macsEqual(a, Uint8Array.from([1, 2, 3, 4]))).toBe(true);
    expect(macsEqual(a, Uint8Array.from([1, 2, 3, 5]))).toBe(false);
    expect(macsEqual(a, Uint8Array.from([0, 2, 3, 4]))).toBe(false);
    expect(macsEqual(a, Uint8Array.from([1, 2, 3]))).toBe(false);
  });
});
