// Saved positions of scheduled sweeps that stopped early (see
// schema/sweep-cursors.ts). One statement each, so they fit any budget.
import { eq, sql } from 'drizzle-orm';
import { sweepCursors } from '../schema/index.ts';
import type { Store } from '../store.ts';

export type SweepCursor = typeof sweepCursors.$inferSelect;

export async function listSweepCursors(store: Store): Promise<SweepCursor[]> {
  return store.db.select().from(sweepCursors).orderBy(sweepCursors.job);
}

/** Records that `job` stopped in `campaignId`; keeps the first start time, counts the runs. */
export async function saveSweepCursor(
  store: Store,
  cursor: { job: string; campaignId: string | null; after: string | null; now: number; restart: boolean },
): Promise<void> {
  await store.db
    .insert(sweepCursors)
    .values({
      job: cursor.job,
      campaignId: cursor.campaignId,
      after: cursor.after,
      startedAt: cursor.now,
      updatedAt: cursor.now,
    })
    .onConflictDoUpdate({
      target: sweepCursors.job,
      set: cursor.restart
        ? {
            campaignId: cursor.campaignId,
            after: cursor.after,
            startedAt: cursor.now,
            runs: 1,
            updatedAt: cursor.now,
          }
        : {
            campaignId: cursor.campaignId,
            after: cursor.after,
            runs: sql`${sweepCursors.runs} + 1`,
            updatedAt: cursor.now,
          },
    });
}

export async function clearSweepCursor(store: Store, job: string): Promise<void> {
  await store.db.delete(sweepCursors).where(eq(sweepCursors.job, job));
}
