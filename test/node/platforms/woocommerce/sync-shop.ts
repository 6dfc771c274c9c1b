// A WooCommerce shop for the sync tests: the REST stand-in
// (stand-ins/woo-rest.ts) on loopback, filled from the published samples
// (test/fixtures/woocommerce/) with made-up ids, and `rekindle woocommerce
// sync` run in process against a real libSQL file.
import { afterEach, beforeEach } from 'vitest';
import { woocommerceCommand } from '../../../../src/cli/woocommerce.ts';
import { captureCli } from '../../support/cli.ts';
import { type ServedFetch, serveFetch } from '../../support/serve-fetch.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';
import { gmtPlus, wooFixture } from '../../support/woocommerce.ts';
import { createWooRestStandIn, type WooRestStandIn, type WooRow } from '../stand-ins/woo-rest.ts';

/** Every row of the shop was last modified on or after this (GMT, no offset). */
export const shopBase = '2026-10-01T00:00:00';
/** The first sync runs at this instant, after every row's date_modified_gmt. */
export const firstRun = Date.parse('2026-11-01T12:00:00Z');

export const shopSize = { customers: 130, simpleProducts: 105, orders: 210, variations: [120, 2, 1] };

export function customerRow(id: number, seconds = id): WooRow {
  return {
    ...wooFixture('customer'),
    id,
    email: `shopper${id}@example.com`,
    first_name: `Shopper${id}`,
    date_modified_gmt: gmtPlus(shopBase, seconds),
  };
}

export function productRow(id: number, type = 'simple', seconds = id): WooRow {
  return {
    ...wooFixture('product'),
    id,
    type,
    name: `Product ${id}`,
    date_modified_gmt: gmtPlus(shopBase, seconds),
  };
}

/** A variation as the variations endpoint lists it: no type, no parent_id. */
export function variationRow(id: number, seconds = id): WooRow {
  const { type: _type, parent_id: _parent, ...row } = wooFixture('variation');
  return { ...row, id, stock_quantity: 3, date_modified_gmt: gmtPlus(shopBase, seconds) };
}

/** Order `id`: every third a guest order (customer 0) of one of seven addresses, else customer (id % 130) + 1's. */
export function orderRow(id: number, changes: Record<string, unknown> = {}, seconds = id): WooRow {
  const sample = wooFixture('order');
  const guest = id % 3 === 0;
  const customer = (id % shopSize.customers) + 1;
  const email = guest ? `guest${id % 7}@example.com` : `shopper${customer}@example.com`;
  return {
    ...sample,
    id,
    customer_id: guest ? 0 : customer,
    billing: { ...(sample.billing as object), email },
    date_modified_gmt: gmtPlus(shopBase, seconds),
    ...changes,
  };
}

/** Fills `woo` with the shop of shopSize. */
export function fillShop(woo: WooRestStandIn): void {
  for (let id = 1; id <= shopSize.customers; id++) woo.customers.set(id, customerRow(id));
  for (let i = 0; i < shopSize.simpleProducts; i++) woo.products.set(1000 + i, productRow(1000 + i));
  let variation = 3000;
  for (const [i, count] of shopSize.variations.entries()) {
    const parent = 2000 + i;
    woo.products.set(parent, productRow(parent, 'variable'));
    const rows = new Map<number, WooRow>();
    for (let n = 0; n < count; n++, variation++) rows.set(variation, variationRow(variation));
    woo.variations.set(parent, rows);
  }
  for (let i = 0; i < shopSize.orders; i++) woo.orders.set(5000 + i, orderRow(5000 + i));
}

export interface SyncShop {
  temp: TempStore;
  woo: WooRestStandIn;
  served: ServedFetch;
  /** Runs `rekindle woocommerce sync ...args --json` at `now` on `temp` (default the shop's). */
  sync(
    args?: string[],
    now?: number,
    temp?: TempStore,
  ): Promise<{ code: number; summary: SyncSummaryJson; stderr: string }>;
}

export interface SyncSummaryJson {
  complete: boolean;
  stopped: string | null;
  paused: boolean;
  resources: Record<'customers' | 'products' | 'orders', Record<string, number | string | null | boolean>>;
  variations: Record<string, number>;
}

/** A fresh libSQL file and a filled stand-in for each test of the file. */
export function syncShop(): SyncShop {
  const shop = {
    async sync(args: string[] = [], now = firstRun, temp?: TempStore) {
      const cli = captureCli(
        {
          DATABASE_URL: (temp ?? shop.temp).url,
          WOO_URL: shop.served.url,
          WOO_KEY: 'ck_standin',
          WOO_SECRET: 'cs_standin',
        },
        now,
      );
      const code = await woocommerceCommand(['sync', ...args, '--json'], cli.io);
      return { code, summary: JSON.parse(cli.out.join('')) as SyncSummaryJson, stderr: cli.err.join('') };
    },
  } as SyncShop;
  beforeEach(async () => {
    shop.temp = await openTempStore();
    shop.woo = createWooRestStandIn();
    fillShop(shop.woo);
    shop.served = await serveFetch(shop.woo.handle);
  });
  afterEach(async () => {
    await shop.served.close();
    await shop.temp.cleanup();
  });
  return shop;
}
