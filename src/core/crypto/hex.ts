// Lowercase hexadecimal, as the MACs that travel as text are spelled where a
// platform's own tools print them (PHP's hash_hmac, Liquid's hmac_sha256).

const digits = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += digits[byte]!;
  return hex;
}

/**
 * The bytes of lowercase hex, or null for anything else (odd length, another
 * character, capitals): one spelling per value, so an altered text never
 * decodes to the same bytes.
 */
export function fromHex(text: string): Uint8Array | null {
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) return null;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
