// Group commit for writes that must each be atomic: the webhook deliveries
// that arrive together (a burst of orders) share one batch, so the embedded
// file's one writer commits once for all of them instead of once each. Each
// write keeps its own all-or-nothing meaning: when the shared batch fails
// (a redelivery's UNIQUE, a stale claim), nothing of it stays, and every
// write of the group runs again alone, in arrival order, so each one fails or
// succeeds exactly as it would have alone. The common case (no conflict) is
// one commit; a conflict costs the group one extra pass.
//
// Writes are gathered with Store.gatherConcurrent (the embedded file, whose
// statements run synchronously): those arriving in the same turn of the
// event loop go together, and a lone write waits for nothing longer than that
// turn. A store without it (D1, a remote libSQL) writes each one as it comes.
import type { Statement, Store } from './store.ts';

/** A statement the whole group needs once (a prune), keyed so each key is written once per batch. */
export interface Trailer {
  key: string;
  statement: Statement;
}

export type GroupedBatch = (statements: readonly Statement[], trailer?: Trailer) => Promise<void>;

interface Pending {
  statements: readonly Statement[];
  trailer: Trailer | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const byStore = new WeakMap<Store, GroupedBatch>();

/** The store's grouped writer (one per store, so every caller's writes can share a batch). */
export function groupedBatch(store: Store): GroupedBatch {
  let writer = byStore.get(store);
  if (!writer) {
    writer = createGroupedBatch(store);
    byStore.set(store, writer);
  }
  return writer;
}

export function createGroupedBatch(store: Store): GroupedBatch {
  const gather = store.gatherConcurrent;
  if (!gather) return (statements, trailer) => writeAlone(store, { statements, trailer });
  let pending: Pending[] = [];
  let scheduled = false;
  // Groups are written one after another, so a group's lone retries finish before the next group starts.
  let previous: Promise<void> = Promise.resolve();

  const flush = async () => {
    await previous;
    await gather();
    const group = pending;
    pending = [];
    scheduled = false;
    // writeGroup settles every entry and never throws.
    for (const part of split(group, store.limits.maxBatchStatements)) await writeGroup(store, part);
  };

  return (statements, trailer) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ statements, trailer, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        previous = flush();
      }
    });
}

async function writeGroup(store: Store, group: readonly Pending[]): Promise<void> {
  if (group.length === 1) {
    const [only] = group as [Pending];
    await writeAlone(store, only).then(only.resolve, only.reject);
    return;
  }
  const trailers = new Map<string, Statement>();
  const statements: Statement[] = [];
  for (const entry of group) {
    statements.push(...entry.statements);
    if (entry.trailer) trailers.set(entry.trailer.key, entry.trailer.statement);
  }
  try {
    await store.batch([...statements, ...trailers.values()]);
  } catch {
    // One of them failed, and with it the shared batch: each again, alone.
    for (const entry of group) await writeAlone(store, entry).then(entry.resolve, entry.reject);
    return;
  }
  for (const entry of group) entry.resolve();
}

async function writeAlone(store: Store, entry: Pick<Pending, 'statements' | 'trailer'>): Promise<void> {
  await store.batch([...entry.statements, ...(entry.trailer ? [entry.trailer.statement] : [])]);
}

/** Consecutive parts that fit one batch; a write larger than the limit goes alone. */
function split(group: readonly Pending[], maxStatements: number): Pending[][] {
  const parts: Pending[][] = [];
  let part: Pending[] = [];
  let size = 0;
  for (const entry of group) {
    const cost = entry.statements.length + 1;
    if (part.length > 0 && size + cost > maxStatements) {
      parts.push(part);
      part = [];
      size = 0;
    }
    part.push(entry);
    size += cost;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
