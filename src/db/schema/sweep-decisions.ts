// Scratch rows of a sweep that decides in SQL (src/services/sweep/decide-in-sql.ts):
// one per trigger hit with its verdict (and what its message needs), so the
// messages are written by one INSERT ... SELECT and the per-rule counts by one GROUP BY, and no hit
// leaves SQLite except to be reported. Rows belong to one run (a random id)
// and are deleted when it ends; rows a crashed run left are deleted by the
// next run after an hour. Customers chosen in the run, by any campaign, stay
// here until it ends: that is how a lower-priority campaign sees them taken.
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const sweepDecisions = sqliteTable(
  'sweep_decisions',
  {
    run: text('run').notNull(),
    campaignId: text('campaign_id').notNull(),
    /** The customer key (src/core/selection/dedupe-key.ts customerKey). */
    customerId: text('customer_id').notNull(),
    email: text('email'),
    /** The trigger instance (dedupe key's last part) and trigger_ref. */
    instance: text('instance'),
    /** scheduled, held_out, an exclusion rule, a skip, or capped/unhashed (decided in JS); taken: chosen in JS. */
    verdict: text('verdict').notNull(),
    currency: text('currency'),
    zone: text('zone'),
    /** Wall clock, epoch ms: rows of a run older than an hour are a crashed run's. */
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('sweep_decisions_taken_idx').on(t.run, t.customerId)],
);
