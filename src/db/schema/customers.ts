// Shoppers as the shop knows them. The primary key is the shop's own id (a string:
// Shopify ids exceed 2^53). Suppression is kept here so every sweep can exclude it
// with one join-free predicate.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const customers = sqliteTable(
  'customers',
  {
    id: text('id').primaryKey(),
    email: text('email'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    locale: text('locale'),
    timezone: text('timezone'),
    country: text('country'),
    /** JSON array of strings. */
    tags: text('tags').notNull().default('[]'),
    marketingConsent: integer('marketing_consent', { mode: 'boolean' }).notNull().default(false),
    consentUpdatedAt: integer('consent_updated_at'),
    /** Set once an address must never get marketing mail again. */
    suppressedAt: integer('suppressed_at'),
    suppressionReason: text('suppression_reason'),
    /** Set when the customer's personal data was erased on request; the row stays for counts. */
    erasedAt: integer('erased_at'),
    /**
     * What a sweep deciding in SQL reads instead of hashing in JS (filled by
     * src/db/sweeps/customer-hashes.ts for rows that lack them): stableHash of
     * the customer id, the customer's part of every holdout draw
     * (src/core/selection/holdout.ts), and hashEmailSync of the address, to
     * match the `suppressions` table. A trigger (migration
     * 0019_customer_email_hash_trigger) clears email_hash whenever the address
     * changes, so a stale hash is never read.
     */
    keyHash: integer('key_hash'),
    emailHash: text('email_hash'),
    /** Epoch milliseconds, UTC, as every time column. */
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('customers_email_idx').on(t.email),
    // The rows the hash filler must visit, so a sweep with none to fill pays nothing.
    index('customers_unhashed_idx')
      .on(t.id)
      .where(sql`key_hash IS NULL OR (email_hash IS NULL AND email IS NOT NULL)`),
  ],
);

/**
 * Addresses that must never be mailed, kept as a SHA-256 hash so an erased
 * customer stays suppressed without us keeping their address.
 */
export const suppressions = sqliteTable('suppressions', {
  emailHash: text('email_hash').primaryKey(),
  reason: text('reason').notNull(),
  createdAt: integer('created_at').notNull(),
});
