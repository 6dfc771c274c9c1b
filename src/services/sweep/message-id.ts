// Ids for new outbox rows: UUID version 7 (RFC 9562), a millisecond timestamp
// followed by random bits. Time-ordered ids land at the right edge of every
// index keyed by them (the messages primary key, coupons by message), so a
// sweep writing hundreds of thousands of messages appends to a few pages per
// batch instead of dirtying pages all over each index on every commit, which
// random v4 ids do. Still unguessable: 74 random bits.
const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

// getRandomValues costs a few microseconds a call whatever its size, so the
// random bits are drawn for a few hundred ids at a time.
const pool = new Uint8Array(16 * 256);
let poolUsed = pool.length;

function randomBytes16(): Uint8Array {
  if (poolUsed + 16 > pool.length) {
    crypto.getRandomValues(pool);
    poolUsed = 0;
  }
  poolUsed += 16;
  return pool.slice(poolUsed - 16, poolUsed);
}

export function newMessageId(at: number): string {
  const bytes = randomBytes16();
  let time = Math.max(0, Math.floor(at));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const h = [...bytes].map((byte) => hex[byte]!).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
