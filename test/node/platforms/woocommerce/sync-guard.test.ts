// rekindle woocommerce sync and the webhook path agree: a 429 is waited out
// for its Retry-After; a REST row older than the state a webhook stored does
// not overwrite it, and one at the same date_modified_gmt is the same state;
// a guest order is keyed by its billing email exactly as a delivery keys it.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { woocommerceCommand } from '../../../../src/cli/woocommerce.ts';
import { captureCli } from '../../support/cli.ts';
import { openTempStore, snapshot } from '../../support/temp-store.ts';
import { deliver, gmtPlus, wooApp, wooFixture } from '../../support/woocommerce.ts';
import { firstRun, orderRow, shopBase, syncShop } from './sync-shop.ts';

const shop = syncShop();

const storedStatus = async (id: string) =>
  (await shop.temp.store.db.all<{ status: string }>(sql`select status from orders where id = ${id}`))[0]
    ?.status;

/** Delivers `payload` on `topic` to the app over the shop's store, as WooCommerce would. */
async function webhook(topic: string, payload: unknown, store = shop.temp.store) {
  const app = wooApp({ store, now: () => firstRun - 60_000 });
  // WordPress encodes its bodies its own way (wp_json_encode escapes slashes): not the bytes the REST list gives.
  const rawBody = JSON.stringify(payload).replaceAll('/', '\\/');
  const response = await deliver(app, topic, payload, { rawBody });
  expect(response.status).toBe(200);
  return ((await response.json()) as { outcome: string }).outcome;
}

describe('throttling', () => {
  it('waits a 429 out for its Retry-After and then reads the page', async () => {
    shop.woo.throttleNext(1, 1);
    const { code, summary } = await shop.sync();
    expect(code).toBe(0);
    expect(summary.complete).toBe(true);
    const [throttled, retried] = shop.woo.requests;
    expect(throttled!.status).toBe(429);
    expect(retried!.status).toBe(200);
    expect(retried!.path).toBe(throttled!.path);
    expect(retried!.at - throttled!.at).toBeGreaterThanOrEqual(950);
  });

  it('stops with the reason named, and writes nothing, when the key is refused', async () => {
    const cli = captureCli(
      {
        DATABASE_URL: shop.temp.url,
        WOO_URL: shop.served.url,
        WOO_KEY: 'ck_wrong',
        WOO_SECRET: 'cs_standin',
      },
      firstRun,
    );
    const before = await snapshot(shop.temp.store);
    expect(await woocommerceCommand(['sync'], cli.io)).toBe(1);
    expect(cli.err.join('')).toContain('WooCommerce refused the REST key (HTTP 401)');
    expect(shop.woo.requests).toHaveLength(1);
    const { woocommerce_sync_positions: _p, ...after } = await snapshot(shop.temp.store);
    const { woocommerce_sync_positions: _q, ...was } = before;
    expect(after).toEqual(was);
  });
});

describe('newer state wins', () => {
  it('a REST row older than what a webhook stored does not overwrite it', async () => {
    // The webhook brought order 5001 refunded, saved after the state the REST API still lists.
    const newer = orderRow(5001, { status: 'refunded', date_modified_gmt: gmtPlus(shopBase, 99_999) });
    expect(await webhook('order.updated', newer)).toBe('applied');
    const { summary } = await shop.sync();
    expect(await storedStatus('5001')).toBe('refunded');
    expect(summary.resources.orders.stale).toBe(1);
    expect(summary.resources.orders.applied).toBe(209);
  });

  it('a REST row at the date_modified_gmt a webhook stored is the same state: unchanged, nothing rewritten', async () => {
    expect(await webhook('order.updated', orderRow(5002))).toBe('applied');
    const before = await shop.temp.store.db.all(
      sql`select * from platform_versions where resource_id = '5002'`,
    );
    const { summary } = await shop.sync();
    expect(summary.resources.orders.unchanged).toBe(1);
    const after = await shop.temp.store.db.all(
      sql`select * from platform_versions where resource_id = '5002'`,
    );
    expect(after).toEqual(before);
  });

  it('a REST row newer than the webhook state is applied', async () => {
    expect(await webhook('order.updated', orderRow(5004, { status: 'pending' }, 1))).toBe('applied');
    expect(await storedStatus('5004')).toBe('cancelled');
    await shop.sync();
    expect(await storedStatus('5004')).toBe('paid');
  });
});

describe('a guest order', () => {
  it('is keyed by its billing email, customer and order rows as the webhook path stores them', async () => {
    const sample = wooFixture('order');
    shop.woo.orders.clear();
    shop.woo.customers.clear();
    shop.woo.orders.set(727, { ...sample, id: 727 });
    await shop.sync();

    const viaWebhook = await openTempStore();
    try {
      expect(await webhook('order.created', sample, viaWebhook.store)).toBe('applied');
      const rows = async (store: typeof viaWebhook.store) => ({
        customers: await store.db.all(sql`select id, email, first_name, marketing_consent from customers`),
        orders: await store.db.all(sql`select id, customer_id, status, total_minor, placed_at from orders`),
        items: await store.db.all(
          sql`select order_id, product_id, quantity from order_items order by line_no`,
        ),
      });
      const synced = await rows(shop.temp.store);
      expect(synced.orders).toEqual((await rows(viaWebhook.store)).orders);
      expect(synced.customers).toEqual((await rows(viaWebhook.store)).customers);
      expect(synced.items).toEqual((await rows(viaWebhook.store)).items);
      expect((synced.orders[0] as { customer_id: string }).customer_id).toMatch(/^guest:[0-9a-f]{64}$/);
    } finally {
      await viaWebhook.cleanup();
    }
  });
});
