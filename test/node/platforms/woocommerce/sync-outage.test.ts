// A WooCommerce outage in the middle of a sync: each page is tried again after
// 1, 2, 4... s, the run stops named once the tries are spent with every page
// before it kept, and the next run goes on at the page that failed.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { wooRestReader } from '../../../../src/adapters/platforms/woocommerce/rest-pages.ts';
import { syncWooCommerce } from '../../../../src/adapters/platforms/woocommerce/sync.ts';
import { platformPorts } from '../../../../src/http/routes/webhooks.ts';
import { shopSettings } from '../../support/campaign-fixtures.ts';
import { firstRun, shopSize, syncShop } from './sync-shop.ts';

const shop = syncShop();

function syncWithOutage(down: { orders2: boolean }, sleeps: number[]) {
  const ports = platformPorts({
    store: shop.temp.store,
    now: () => firstRun,
    campaigns: { settings: shopSettings(), campaigns: [] },
    log: () => {},
  });
  const readPage = wooRestReader(
    { url: shop.served.url, key: 'ck_standin', secret: 'cs_standin' },
    {
      fetch: async (url, init) => {
        const asked = new URL(url);
        if (down.orders2 && asked.pathname.endsWith('/orders') && asked.searchParams.get('page') === '2')
          return Response.json({ code: 'internal_server_error' }, { status: 503 });
        return fetch(url, init);
      },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      clock: () => firstRun,
    },
  );
  return syncWooCommerce({ ports, readPage });
}

const orders = async () =>
  (await shop.temp.store.db.all<{ n: number }>(sql`select count(*) as n from orders`))[0]!.n;

describe('an outage mid-sync', () => {
  it('is tried again with backoff, stops named, and the next run goes on at the failed page', async () => {
    const down = { orders2: true };
    const sleeps: number[] = [];
    const stopped = await syncWithOutage(down, sleeps);
    expect(stopped.complete).toBe(false);
    expect(stopped.paused).toBe(false);
    expect(stopped.stopped).toBe(
      'WooCommerce is unavailable (HTTP 503); gave up after 6 tries of GET orders page 2',
    );
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(await orders()).toBe(100);

    down.orders2 = false;
    shop.woo.requests.length = 0;
    const resumed = await syncWithOutage(down, []);
    expect(resumed.complete).toBe(true);
    expect(resumed.resources.orders.resumedAtPage).toBe(2);
    expect(resumed.resources.orders.read).toBe(shopSize.orders - 100);
    expect(shop.woo.requests.map((r) => `${r.path.split('/').pop()} ${r.query.get('page')}`)).toEqual([
      'orders 2',
      'orders 3',
    ]);
    expect(await orders()).toBe(shopSize.orders);
  });
});
