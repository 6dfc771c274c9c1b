// A bounded in-memory cache for the long-lived homes' hot paths (API keys,
// the coupon routes' first-gate buckets). Its contract: the `keep` most
// recently used keys are always there, no more than 2 x `keep` entries are
// ever held, and, given a `ttlMs`, an entry is not served once that long has
// passed since it was stored, by the clock handed in. A cache is only ever a
// shortcut: every caller must be correct when it is empty (a Worker isolate
// may start cold at any request).
//
// Two generations of Map instead of one Map reordered on every hit: moving a
// key to the end of a Map is a delete and a re-add, and V8 pays for the holes
// that leaves; in a CPU profile of the coupon check it cost more than the
// bucket arithmetic. Here every key used since
// the last turn is in the young generation; when it reaches `keep` keys it
// becomes the old one and the old one is dropped whole, and a hit in the old
// generation moves up. Pure: no timers, no I/O.

export interface BoundedCacheOptions {
  /** The most recently used keys that are always kept, >= 1; at most twice as many are held. */
  keep: number;
  /** How long an entry may be served after it was stored; none: until evicted. */
  ttlMs?: number | undefined;
  /** Epoch milliseconds; needed with ttlMs. */
  now?: (() => number) | undefined;
}

export interface BoundedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  /** Entries held now, counting expired ones not yet looked at. */
  readonly size: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export function boundedCache<V>(options: BoundedCacheOptions): BoundedCache<V> {
  const { keep, ttlMs } = options;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new Error(`boundedCache: keep must be a whole number >= 1, got ${keep}`);
  }
  if (ttlMs !== undefined && (!(ttlMs > 0) || !options.now)) {
    throw new Error('boundedCache: a ttlMs must be positive and come with a clock');
  }
  const now = options.now ?? (() => 0);
  let young = new Map<string, Entry<V>>();
  let old = new Map<string, Entry<V>>();

  const put = (key: string, entry: Entry<V>) => {
    young.set(key, entry);
    if (young.size >= keep) {
      old = young;
      young = new Map();
    }
  };
  const live = (entry: Entry<V>) => ttlMs === undefined || entry.expiresAt > now();

  return {
    get(key) {
      const entry = young.get(key);
      if (entry !== undefined) {
        if (live(entry)) return entry.value;
        young.delete(key);
        return undefined;
      }
      const older = old.get(key);
      if (older === undefined) return undefined;
      old.delete(key);
      if (!live(older)) return undefined;
      put(key, older);
      return older.value;
    },
    set(key, value) {
      const entry = { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs };
      // Overwritten in place: a delete and re-add of a hot key leaves a hole
      // per call, and V8 compacts a big Map full of holes over and over (21 us
      // a call at 5,000 keys, against 0.01 us in place).
      if (young.has(key)) {
        young.set(key, entry);
        return;
      }
      old.delete(key);
      put(key, entry);
    },
    delete(key) {
      young.delete(key);
      old.delete(key);
    },
    get size() {
      return young.size + old.size;
    },
  };
}
