// A set of ids kept for a whole import (to catch an order that reappears after
// others), stored as UTF-8 bytes in typed arrays. A JS Set of a million id
// strings costs ~130 MB of peak RSS at a million rows through GC headroom, and
// its marking time; these arrays cost ~25 bytes an id and nothing to trace.
// It only answers "seen before?"; it never hands ids back.

const encoder = new TextEncoder();

export class IdSet {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** Per entry: where its bytes start, how many, and its hash. */
  private starts = new Uint32Array(1 << 10);
  private lengths = new Uint32Array(1 << 10);
  private hashes = new Uint32Array(1 << 10);
  private count = 0;
  /** Open addressing: entry index + 1, 0 when free. Always at most half full. */
  private slots = new Uint32Array(1 << 11);
  private scratch = new Uint8Array(1024);

  get size(): number {
    return this.count;
  }

  /** Adds `id`; returns false when it was already there. */
  add(id: string): boolean {
    const length = this.encode(id);
    const hash = fnv1a(this.scratch, length);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      if (this.hashes[entry - 1] === hash && this.equals(entry - 1, length)) return false;
      slot = (slot + 1) & mask;
    }
    if (this.count === this.starts.length) this.growEntries();
    if (this.used + length > this.bytes.length) this.growBytes(length);
    this.bytes.set(this.scratch.subarray(0, length), this.used);
    this.starts[this.count] = this.used;
    this.lengths[this.count] = length;
    this.hashes[this.count] = hash;
    this.used += length;
    this.count++;
    this.slots[slot] = this.count;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  private encode(id: string): number {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.scratch.length < id.length * 3) this.scratch = new Uint8Array(id.length * 3);
    return encoder.encodeInto(id, this.scratch).written;
  }

  private equals(entry: number, length: number): boolean {
    if (this.lengths[entry] !== length) return false;
    const start = this.starts[entry]!;
    for (let i = 0; i < length; i++) if (this.bytes[start + i] !== this.scratch[i]) return false;
    return true;
  }

  private growEntries(): void {
    const size = this.starts.length * 2;
    this.starts = grown(this.starts, size);
    this.lengths = grown(this.lengths, size);
    this.hashes = grown(this.hashes, size);
  }

  private growBytes(needed: number): void {
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.used + needed));
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = this.hashes[entry]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

function grown(array: Uint32Array<ArrayBuffer>, size: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(size);
  next.set(array);
  return next;
}

function fnv1a(bytes: Uint8Array, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
