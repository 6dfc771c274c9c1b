// The outbox: one row per planned email. The unique dedupe key is what makes a
// sweep safe to run twice or concurrently: the database refuses the second row.
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const messageStatuses = [
  'held_out',
  'scheduled',
  'sending',
  'sent',
  'failed',
  'suppressed',
  'cancelled',
  'ambiguous',
] as const;

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    /** campaign:step:customer:trigger-instance */
    dedupeKey: text('dedupe_key').notNull(),
    campaignId: text('campaign_id').notNull(),
    step: integer('step').notNull().default(0),
    customerId: text('customer_id'),
    email: text('email'),
    triggerKind: text('trigger_kind').notNull(),
    /** The trigger instance: a cart id, a restock id, a dormancy episode. */
    triggerRef: text('trigger_ref').notNull(),
    status: text('status', { enum: messageStatuses }).notNull(),
    /**
     * The code of the coupon the message carries (coupons.code), set at its
     * first send attempt (services/delivery/issue-coupons.ts), never by the
     * sweep: a message that is never sent never has one.
     */
    couponCode: text('coupon_code'),
    /**
     * Set by the sweep when the message carries its step's offer: the
     * customer's currency, in which that coupon is issued when the message is
     * first sent. Null for a step without an offer and for a held-out message.
     */
    offerCurrency: text('offer_currency'),
    dueAt: integer('due_at').notNull(),
    leaseUntil: integer('lease_until'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * Claims since the message was last read and rendered whole. A message
     * that kills the sender while it is read comes back each time its lease
     * lapses; this bounds how often (see src/services/delivery/drain-outbox.ts).
     */
    claims: integer('claims').notNull().default(0),
    /** Set just before the current claim's send was handed to the transport; a lapsed lease with it set is an interrupted send. */
    sendStartedAt: integer('send_started_at'),
    /** When the one resend after an ambiguous or interrupted send started: the message may have arrived twice. */
    resentAt: integer('resent_at'),
    lastError: text('last_error'),
    /** Why a message was cancelled just before sending (suppressed, ordered, cart converted...). */
    cancelReason: text('cancel_reason'),
    /**
     * JSON array of the URLs the rendered email links to, written when it is
     * sent. A click token carries an index into it, so the redirect can only
     * go to a link the email really contained.
     */
    links: text('links'),
    providerMessageId: text('provider_message_id'),
    sentAt: integer('sent_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('messages_dedupe_key_uq').on(t.dedupeKey),
    index('messages_due_idx').on(t.dueAt).where(sql`${t.status} = 'scheduled'`),
    index('messages_customer_idx').on(t.customerId, t.createdAt),
    index('messages_campaign_idx').on(t.campaignId, t.status),
    // A restock's allocation counts its messages. Only back-in-stock reads by
    // trigger_ref, and a dormant sweep's refs are random: indexing every
    // message doubled the cost of writing a big sweep's outbox.
    index('messages_trigger_idx')
      .on(t.campaignId, t.triggerRef)
      .where(sql`${t.triggerKind} = 'back_in_stock'`),
    // The frequency cap and cooldown of recipients with no customer id (guest
    // carts, email-only sign-ups) look their history up by address.
    index('messages_guest_email_idx').on(t.email).where(sql`${t.customerId} IS NULL`),
    // Provider webhooks (delivered, bounce, complaint) name messages by the
    // provider's id. Only sent messages have one: a sweep writing its outbox
    // adds no entry here (their lookups, `IN (...)`, use a partial index).
    index('messages_provider_id_idx').on(t.providerMessageId).where(sql`${t.providerMessageId} IS NOT NULL`),
    // The sender's claim looks for expired leases and ambiguous sends awaiting
    // their retry; without this each claim would scan every message ever sent.
    index('messages_in_flight_idx')
      .on(t.status, t.leaseUntil)
      .where(sql`${t.status} IN ('sending', 'ambiguous')`),
  ],
);
