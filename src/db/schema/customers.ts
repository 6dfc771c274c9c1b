// Shoppers as the shop knows them. The primary key is the shop's own id (a string:
// Shopify ids exceed 2^53). Suppression is kept here so every sweep can exclude it
// with one join-free predicate.
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
    /** Epoch milliseconds, UTC, as every time column. */
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('customers_email_idx').on(t.email)],
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
