// A set of ids kept for a whole import (to catch an order that reappears after
// others), stored as UTF-8 bytes in typed arrays. A JS Set of a million id
// strings costs ~130 MB of peak RSS at a million rows through GC headroom, and
// its marking time; this costs ~20 bytes an id (its bytes, a length byte, and
// a slot and a hash byte at most 4/3 of the ids) and nothing to trace.
// It only answers "seen before?"; it never hands ids back.

const encoder = new TextEncoder();

/** The table is rebuilt twice as large past this share of used slots. */
const maxLoad = 0.75;

export class IdSet {
  /** Entries back to back: the id's UTF-8 length (7 bits a byte, low first, high bit = more), then its bytes. */
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private count = 0;
  /** Open addressing: an entry's offset in `bytes` + 1, 0 when free. */
  private slots = new Uint32Array(1 << 11);
  /** Per slot, the low byte of its entry's hash: most probes of other ids stop here. */
  private tags = new Uint8Array(1 << 11);
  private scratch = new Uint8Array(1024);

  get size(): number {
    return this.count;
  }

  /** Adds `id`; returns false when it was already there. */
  add(id: string): boolean {
    const length = this.encode(id);
    const hash = fnv1a(this.scratch, 0, length);
    const tag = hash & 0xff;
    const mask = this.slots.length - 1;
    let slot = (hash >>> 8) & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      if (this.tags[slot] === tag && this.equals(entry - 1, length)) return false;
      slot = (slot + 1) & mask;
    }
    let header = 1;
    while (length >>> (7 * header) !== 0) header++;
    if (this.used + header + length > this.bytes.length) this.growBytes(header + length);
    const at = this.used;
    const bytes = this.bytes;
    for (let i = 0; i < header; i++) {
      const bits = (length >>> (7 * i)) & 0x7f;
      bytes[at + i] = i < header - 1 ? 0x80 | bits : bits;
    }
    const scratch = this.scratch;
    for (let i = 0; i < length; i++) bytes[at + header + i] = scratch[i]!;
    this.used += header + length;
    this.count++;
    this.slots[slot] = at + 1;
    this.tags[slot] = tag;
    if (this.count > this.slots.length * maxLoad) this.rehash();
    return true;
  }

  private encode(id: string): number {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.scratch.length < id.length * 3) this.scratch = new Uint8Array(id.length * 3);
    return encoder.encodeInto(id, this.scratch).written;
  }

  /** The entry at `offset`: where its bytes start and how many. */
  private entryAt(offset: number): { start: number; length: number } {
    let length = 0;
    let at = offset;
    for (let shift = 0; ; shift += 7) {
      const byte = this.bytes[at++]!;
      length |= (byte & 0x7f) << shift;
      if (byte < 0x80) return { start: at, length };
    }
  }

  private equals(offset: number, length: number): boolean {
    // Nearly every id is under 128 bytes: a one-byte length.
    const bytes = this.bytes;
    const first = bytes[offset]!;
    if (first < 0x80 ? first !== length : this.entryAt(offset).length !== length) return false;
    const start = first < 0x80 ? offset + 1 : this.entryAt(offset).start;
    const scratch = this.scratch;
    // Ids of one export share their prefix: compare from the end.
    for (let i = length - 1; i >= 0; i--) if (bytes[start + i] !== scratch[i]) return false;
    return true;
  }

  private growBytes(needed: number): void {
    // By half again, not double: the array is most of the set's memory.
    const size = Math.max(Math.ceil(this.bytes.length * 1.5), this.used + needed);
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const tags = new Uint8Array(slots.length);
    const mask = slots.length - 1;
    for (let offset = 0; offset < this.used; ) {
      const first = this.bytes[offset]!;
      const { start, length } = first < 0x80 ? { start: offset + 1, length: first } : this.entryAt(offset);
      const hash = fnv1a(this.bytes, start, start + length);
      let slot = (hash >>> 8) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = offset + 1;
      tags[slot] = hash & 0xff;
      offset = start + length;
    }
    this.slots = slots;
    this.tags = tags;
  }
}

function fnv1a(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
