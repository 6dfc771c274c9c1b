// The random port: where core draws unguessable values (coupon codes, API
// keys) from. Production hands in Web Crypto; a test hands in a seeded source
// to get the same values every run. Pure JS and Web Crypto only.

/** Fills the array with cryptographically strong random bytes (crypto.getRandomValues). */
export type RandomSource = (bytes: Uint8Array) => Uint8Array;

export const cryptoRandom: RandomSource = (bytes) => crypto.getRandomValues(bytes);

/**
 * `count` symbols of `alphabet`, each equally likely. Rejection sampling: 256
 * is rarely a multiple of the alphabet's length, and taking byte % length of
 * every byte would make the first symbols more likely than the rest.
 */
export function randomSymbols(alphabet: string, count: number, random: RandomSource): string {
  const limit = 256 - (256 % alphabet.length);
  const out: string[] = [];
  while (out.length < count) {
    for (const byte of random(new Uint8Array(count * 2))) {
      if (byte < limit && out.length < count) out.push(alphabet[byte % alphabet.length]!);
    }
  }
  return out.join('');
}
