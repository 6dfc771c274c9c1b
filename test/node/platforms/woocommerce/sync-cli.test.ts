// rekindle woocommerce sync as a command: the real binary against the REST
// stand-in over loopback, its errors named, progress on stderr only when it
// is a terminal, and coupon_lines of synced orders redeemed once by the one
// redemption rule however often the sync runs.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { woocommerceCommand } from '../../../../src/cli/woocommerce.ts';
import { captureCli, runRekindle } from '../../support/cli.ts';
import { sentCoupon } from '../../support/coupon-seed.ts';
import { gmtPlus } from '../../support/woocommerce.ts';
import { firstRun, orderRow, shopSize, syncShop } from './sync-shop.ts';

const shop = syncShop();

const wooEnv = () => ({
  DATABASE_URL: shop.temp.url,
  WOO_URL: shop.served.url,
  WOO_KEY: 'ck_standin',
  WOO_SECRET: 'cs_standin',
});

describe('rekindle woocommerce sync', { timeout: 60_000 }, () => {
  it('runs as the binary over real HTTP and prints its summary as JSON, with no progress off a terminal', async () => {
    const run = await runRekindle(['woocommerce', 'sync', '--json'], wooEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { complete: boolean; resources: { orders: { read: number } } };
    expect(summary.complete).toBe(true);
    expect(summary.resources.orders.read).toBe(shopSize.orders);
  });

  it('names what is missing: no REST key, an unknown action, a bad --max-pages', async () => {
    const noKey = await runRekindle(['woocommerce', 'sync'], {
      ...wooEnv(),
      WOO_URL: undefined,
      WOO_KEY: undefined,
      WOO_SECRET: undefined,
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('set WOO_URL, WOO_KEY and WOO_SECRET');
    const action = await runRekindle(['woocommerce', 'pull'], wooEnv());
    expect([action.code, action.stderr.split('\n')[0]]).toEqual([
      2,
      "rekindle: unknown action 'pull'; usage: rekindle woocommerce sync [--full] [--max-pages N] [--json]",
    ]);
    const pages = await runRekindle(['woocommerce', 'sync', '--max-pages', '0'], wooEnv());
    expect(pages.code).toBe(2);
    expect(pages.stderr).toContain("--max-pages must be a whole number from 1, got '0'");
    expect(shop.woo.requests).toHaveLength(0);
  });

  it('draws progress on stderr when it is a terminal', async () => {
    const cli = captureCli(wooEnv(), firstRun);
    cli.io.interactive = true;
    expect(await woocommerceCommand(['sync'], cli.io)).toBe(0);
    const lines = cli.err.join('').split('\n');
    expect(lines).toContain('rekindle: customers: page 1 of 2, 100 read, 100 applied');
    expect(lines).toContain(
      `rekindle: orders: page 3 of 3, ${shopSize.orders} read, ${shopSize.orders} applied`,
    );
    // The table: one row per resource and one for variations.
    expect(cli.out.join('')).toMatch(/^resource\s+pages\s+read\s+applied/);
  });
});

describe('coupon_lines', () => {
  it('redeem a Rekindle coupon once through the one rule, however often the order is synced', async () => {
    const code = await sentCoupon(shop.temp.store, {
      now: firstRun - 10 * 86_400_000,
      customerId: '67',
      email: 'shopper67@example.com',
    });
    const placed = gmtPlus('2026-10-25T12:00:00', 0);
    const order = orderRow(5006, {
      currency: 'GBP',
      date_created_gmt: placed,
      coupon_lines: [{ id: 400, code: code.toLowerCase(), discount: '1.80', discount_tax: '0.00' }],
    });
    expect(order.customer_id).toBe(67);
    shop.woo.orders.set(5006, order);
    await shop.sync();
    await shop.sync(['--full'], firstRun + 3600_000);
    const redemptions = await shop.temp.store.db.all(sql`select coupon_code, order_id from redemptions`);
    expect(redemptions).toEqual([{ coupon_code: code, order_id: '5006' }]);
  });
});
