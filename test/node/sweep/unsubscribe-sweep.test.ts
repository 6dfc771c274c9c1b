// An unsubscribe is honoured at once and for every campaign: mail already
// waiting is cancelled, and later sweeps of any campaign leave the address
// out while a customer in the same situation who did not unsubscribe is mailed.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Campaign } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, noAudience, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';
import { paths, seedCustomer, trackingApp } from '../support/tracking-fixtures.ts';

const hour = 3_600_000;
const day = 24 * hour;
const t0 = Date.parse('2026-11-23T10:00:00Z');
const settings = shopSettings({ frequencyCap: { maxMessages: 10, perDays: 1 } });
const cartCampaign: Campaign = {
  ...dormantCampaign(),
  id: 'cart',
  priority: 80,
  cooldownDays: 0,
  trigger: { type: 'abandoned_cart', minCartValue: null },
  audience: noAudience,
  steps: [1, 24].map((delayHours, index) => ({
    index,
    delayHours,
    email: { template: `cart-${index + 1}.mjml`, subject: 'Your cart' },
    offer: null,
  })),
};

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  for (const id of ['a', 'b']) {
    await seedCustomer(temp.store, id, t0 - 400 * day, { timezone: 'Europe/London' });
    const order = ingestSchemas.orders.parse({
      id: `o-${id}`,
      customer_id: id,
      placed_at: new Date(t0 - 100 * day).toISOString(),
      currency: 'GBP',
      total: '50.00',
    });
    await ingestRecords({ store: temp.store }, { kind: 'orders', records: [order], now: t0 - 100 * day });
    const cart = ingestSchemas.carts.parse({
      id: `k-${id}`,
      customer_id: id,
      currency: 'GBP',
      last_activity_at: new Date(t0 - 2 * hour).toISOString(),
      items: [{ product_id: 'p1', quantity: 1, unit_price: '20.00' }],
    });
    await ingestRecords({ store: temp.store }, { kind: 'carts', records: [cart], now: t0 - 2 * hour });
  }
});
afterEach(() => temp.cleanup());

const sweep = (campaign: Campaign, at: number) =>
  runSweep({ store: temp.store, campaigns: { settings, campaigns: [campaign] }, now: at, dryRun: false });

const rows = () =>
  temp.store.db.all<{ id: string; customer_id: string; campaign_id: string; step: number; status: string }>(
    sql`SELECT id, customer_id, campaign_id, step, status, cancel_reason FROM messages
      ORDER BY customer_id, campaign_id, step`,
  );

it('cancels what is waiting and keeps every later sweep from mailing them', async () => {
  await sweep(dormantCampaign(), t0);
  // The winback emails go out (as the delivery loop would record it).
  await temp.store.db.run(sql`UPDATE messages SET status = 'sent', sent_at = ${t0}, links = '[]'`);
  await sweep(cartCampaign, t0);
  expect((await rows()).map((m) => [m.customer_id, m.campaign_id, m.status])).toEqual([
    ['a', 'cart', 'scheduled'],
    ['a', 'winback', 'sent'],
    ['b', 'cart', 'scheduled'],
    ['b', 'winback', 'sent'],
  ]);

  const winbackToA = (await rows()).find((m) => m.customer_id === 'a' && m.campaign_id === 'winback')!;
  const t = await trackingApp(temp.store, t0 + hour);
  const { unsubscribe } = await paths(t.signer, winbackToA.id);
  const res = await t.app.request(unsubscribe, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  expect(res.status).toBe(200);
  expect((await rows()).find((m) => m.customer_id === 'a' && m.campaign_id === 'cart')).toMatchObject({
    status: 'cancelled',
    cancel_reason: 'unsubscribed',
  });

  // A day later the cart series' next step is due: b gets it, a gets nothing.
  const report = await sweep(cartCampaign, t0 + day + hour);
  expect(report.campaigns[0]?.scheduled).toBe(1);
  const after = await rows();
  expect(after.filter((m) => m.customer_id === 'a' && m.status === 'scheduled')).toEqual([]);
  expect(after.filter((m) => m.customer_id === 'b').map((m) => [m.campaign_id, m.step, m.status])).toEqual([
    ['cart', 0, 'scheduled'],
    ['cart', 1, 'scheduled'],
    ['winback', 0, 'sent'],
  ]);
  // Any other campaign too: a fresh dormant campaign mails b only.
  await sweep({ ...dormantCampaign(), id: 'winback-2' }, t0 + day + hour);
  const second = (await rows()).filter((m) => m.campaign_id === 'winback-2');
  expect(second.map((m) => m.customer_id)).toEqual(['b']);
});
