// A shop for the coupons-at-checkout tests: dormant customers with
// Shopify-style numeric ids, a win-back campaign whose step carries the
// shipped offer (15% off over 40.00, 14 days, one use, bound), a real sweep
// (the send issues the coupons), and delivery options wired to a platform stand-in
// through the same wiring the homes use (src/entry/checkout-platforms.ts).
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach } from 'vitest';
import type { CheckoutPlatformsConfig } from '../../../../src/config/env.ts';
import type { Campaign, CampaignSet } from '../../../../src/core/campaigns/types.ts';
import type { MailTransport } from '../../../../src/core/delivery/transport.ts';
import { ingestSchemas } from '../../../../src/core/ingest/records.ts';
import { findUncodedOffers } from '../../../../src/db/repositories/messages.ts';
import type { Store } from '../../../../src/db/store.ts';
import { wireCheckouts } from '../../../../src/entry/checkout-platforms.ts';
import type { DrainOptions } from '../../../../src/services/delivery/drain-outbox.ts';
import { issueCouponsAtSentTimes } from '../../../../src/services/delivery/issue-coupons.ts';
import { ingestRecords } from '../../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../../support/campaign-fixtures.ts';
import { deliveryOptions } from '../../support/delivery-fixtures.ts';
import { type ServedFetch, serveFetch } from '../../support/serve-fetch.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';

export const day = 86_400_000;
export const sweepAt = Date.parse('2026-11-23T12:00:00Z');
export const shopDomain = 'rekindle-test.myshopify.com';
export const adminToken = 'shpat_standin';

export function winback(holdoutPercent = 0): Campaign {
  return dormantCampaign({
    holdoutPercent,
    steps: [
      { index: 0, delayHours: 0, email: { template: 'winback.mjml', subject: 'Hi' }, offer: winbackOffer },
    ],
  });
}

export function campaignsOf(campaign: Campaign): CampaignSet {
  return { settings: shopSettings(), campaigns: [campaign] };
}

/** `count` customers (ids from `first`, Shopify-style digits) whose one paid order was 120 days before `now`. */
export async function seedDormant(
  store: Store,
  count: number,
  options: { first?: number; now?: number } = {},
) {
  const now = options.now ?? sweepAt;
  const first = options.first ?? 7_100_000_000;
  const ids = Array.from({ length: count }, (_, i) => String(first + i));
  const customers = ids.map((id) =>
    ingestSchemas.customers.parse({ id, email: `c${id}@example.com`, marketing_consent: true }),
  );
  await ingestRecords({ store }, { kind: 'customers', records: customers, now });
  const orders = ids.map((id) =>
    ingestSchemas.orders.parse({
      id: `o${id}`,
      customer_id: id,
      placed_at: new Date(now - 120 * day).toISOString(),
      currency: 'GBP',
      total: '50.00',
    }),
  );
  await ingestRecords({ store }, { kind: 'orders', records: orders, now });
  return ids;
}

export async function sweep(store: Store, campaigns: CampaignSet, now = sweepAt) {
  return runSweep({ store, campaigns, now, dryRun: false, pageSize: 500 });
}

/**
 * Fixes the planned messages' codes as a first send attempt does, without
 * sending (as a pass that stopped, or a checkout that was down, leaves
 * them), so a test can arrange what a platform already holds for a code.
 */
export async function issueAsFirstAttempt(store: Store, campaigns: CampaignSet, at = sweepAt) {
  const planned = await findUncodedOffers(store, Number.MAX_SAFE_INTEGER);
  await issueCouponsAtSentTimes(
    store,
    campaigns,
    planned.map((m) => ({ ...m, sentAt: at })),
  );
}

export interface OutboxRow {
  id: string;
  status: string;
  customer_id: string;
  coupon_code: string | null;
  attempts: number;
  due_at: number;
  last_error: string | null;
  expires_at: number | null;
}

export function outbox(store: Store): Promise<OutboxRow[]> {
  return store.db.all<OutboxRow>(sql`
    select m.id, m.status, m.customer_id, m.coupon_code, m.attempts, m.due_at, m.last_error, c.expires_at
    from messages m left join coupons c on c.code = m.coupon_code order by m.id`);
}

export function checkoutStates(store: Store) {
  return store.db.all<{ code: string; platform: string; state: string; tries: number; error: string | null }>(
    sql`select code, platform, state, tries, error from checkout_codes order by code`,
  );
}

/** Delivery options with the checkouts `platforms` names wired as the homes wire them. */
export async function checkoutDelivery(
  store: Store,
  transport: MailTransport,
  input: {
    platforms: CheckoutPlatformsConfig;
    campaigns: CampaignSet;
    now: () => number;
    shopifyBaseUrl?: string;
    sleep?: (ms: number) => Promise<void>;
    batchSize?: number;
  },
): Promise<DrainOptions> {
  const sleep = input.sleep ?? (async () => {});
  const wired = wireCheckouts({
    platforms: input.platforms,
    store,
    shopCurrency: input.campaigns.settings.currency,
    now: input.now,
    sleep,
    shopifyBaseUrl: input.shopifyBaseUrl,
  });
  return deliveryOptions(store, transport, {
    campaigns: input.campaigns,
    checkout: wired.checkout,
    now: input.now,
    sleep,
    settings: { batchSize: input.batchSize ?? 500, concurrency: 4, leaseMs: 60_000 },
  });
}

export function shopifyPlatform(): CheckoutPlatformsConfig {
  return { shopify: { shopDomain, adminToken, apiVersion: '2025-10' } };
}

/**
 * The setup the checkout tests share: for each test a fresh libSQL file and a
 * platform stand-in served on loopback, both closed after it. Read the fields
 * inside a test (they are replaced before each one).
 */
export function standInPerTest<S extends { handle: (request: Request) => Promise<Response> }>(
  create: () => S,
): { temp: TempStore; standIn: S; served: ServedFetch } {
  const current = {} as { temp: TempStore; standIn: S; served: ServedFetch };
  beforeEach(async () => {
    current.temp = await openTempStore();
    current.standIn = create();
    current.served = await serveFetch(current.standIn.handle);
  });
  afterEach(async () => {
    await current.served.close();
    await current.temp.cleanup();
  });
  return current;
}
