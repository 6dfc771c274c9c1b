import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/core/api-keys.ts';
import type { RandomSource } from '../../src/core/random.ts';

/** A seeded byte stream (xorshift32): the same seed always fills the same bytes. */
function seeded(seed: number): RandomSource {
  let state = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bytes[i] = state & 0xff;
    }
    return bytes;
  };
}

describe('generateApiKey', () => {
  it('draws the key from the random port it is given: a seeded source gives the same key every time', () => {
    const first = generateApiKey(seeded(42));
    expect(generateApiKey(seeded(42))).toEqual(first);
    expect(generateApiKey(seeded(43))).not.toEqual(first);
    expect(first.secret).toMatch(/^rk_[a-z0-9]{8}_[a-z0-9]{32}$/);
    expect(first.secret.startsWith(`rk_${first.id}_`)).toBe(true);
  });

  it('takes only the bytes that keep every letter equally likely', () => {
    // 252 and above are rejected (256 is not a multiple of 36); 0 is 'a', 35 is '9'.
    const bytes = [255, 0, 253, 35, 252, 36];
    let next = 0;
    const scripted: RandomSource = (out) => {
      for (let i = 0; i < out.length; i++) out[i] = bytes[next++ % bytes.length]!;
      return out;
    };
    expect(generateApiKey(scripted).id).toBe('a9aa9aa9');
  });
});
