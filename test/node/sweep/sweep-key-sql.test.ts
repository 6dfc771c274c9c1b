// The SQL a sweep uses to ask "already messaged?" builds the same strings the
// TypeScript owners format (src/core/triggers/trigger-ref.ts,
// src/core/selection/dedupe-key.ts), on a real libSQL file: the exact
// expressions of the page queries, over rows shaped like their columns, for
// awkward ids (separators, quotes, non-ASCII), guests and edge times.
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupeKey } from '../../../src/core/selection/dedupe-key.ts';
import {
  browseRef,
  cartRef,
  dormantRef,
  heldCartInstance,
  parseBrowseRef,
  parsePriceDropRef,
  parseReplenishRef,
  priceDropRef,
  replenishRef,
  restockRef,
  waitlistInstance,
} from '../../../src/core/triggers/trigger-ref.ts';
import { heldCartKey, waitlistKey } from '../../../src/db/sweeps/back-in-stock-hits.ts';
import { browseKey } from '../../../src/db/sweeps/browse-hits.ts';
import { cartKey } from '../../../src/db/sweeps/cart-hits.ts';
import { dormantKey } from '../../../src/db/sweeps/dormant-hits.ts';
import { priceDropKey } from '../../../src/db/sweeps/price-drop-hits.ts';
import { replenishmentKey } from '../../../src/db/sweeps/replenishment-hits.ts';
import { restockRefSql } from '../../../src/db/sweeps/trigger-ref-sql.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(() => temp.cleanup());

const ids = ['c-1', 'we:ird@id', "o'brien", 'zoë', '@'];
const customers = [...ids, null];
const times = [0, -5, 1767225600000];
const email = "guest'o@shop.example";

/** Evaluates one expression over a one-row table `alias` with these columns (integers cast as the tables store them). */
async function evaluate(alias: string, row: Record<string, string | number | null>, expr: SQL) {
  const columns = Object.entries(row).map(([name, value]) =>
    typeof value === 'number'
      ? sql`CAST(${value} AS INTEGER) AS ${sql.raw(name)}`
      : sql`${value} AS ${sql.raw(name)}`,
  );
  const [result] = await temp.store.db.all<{ v: string }>(
    sql`SELECT ${expr} AS v FROM (SELECT ${sql.join(columns, sql`, `)}) ${sql.raw(alias)}`,
  );
  return result?.v;
}

describe('dedupe keys and trigger refs: SQL and TypeScript agree', () => {
  it('dormant: campaign:0:customer:lp<last purchase>', async () => {
    for (const id of ids) {
      for (const at of times) {
        const expected = dedupeKey({
          campaignId: 'winback',
          step: 0,
          customerId: id,
          email,
          instance: dormantRef(at),
        });
        expect(await evaluate('p', { customer_id: id, last_at: at }, dormantKey('winback'))).toBe(expected);
      }
    }
  });

  it('abandoned cart: the due step, a guest keyed by address, cart ids holding the separators', async () => {
    for (const customerId of customers) {
      for (const cartId of ids) {
        for (const [step, at] of times.map((t, i) => [i, t] as const)) {
          const expected = dedupeKey({
            campaignId: 'abandoned-cart',
            step,
            customerId,
            email,
            instance: cartRef(cartId, at),
          });
          const row = { cart_id: cartId, customer_id: customerId, email, last_activity_at: at, step };
          expect(await evaluate('k', row, cartKey('abandoned-cart'))).toBe(expected);
        }
      }
    }
  });

  it('back in stock: waitlist and held-cart instances, and the restock ref', async () => {
    for (const customerId of customers) {
      for (const id of ids) {
        const base = { campaignId: 'back-in-stock', step: 0, customerId, email };
        const waitlistRow = { customer_id: customerId, email, entry_id: id };
        expect(await evaluate('e', waitlistRow, waitlistKey('back-in-stock'))).toBe(
          dedupeKey({ ...base, instance: waitlistInstance(id) }),
        );
        const cartRow = { customer_id: customerId, email, cart_id: id };
        expect(await evaluate('h', cartRow, heldCartKey('back-in-stock', `p${id}`))).toBe(
          dedupeKey({ ...base, instance: heldCartInstance(`p${id}`, id) }),
        );
      }
    }
    for (const restockId of [1, 42, 9_007_199_254]) {
      expect(await evaluate('r', { id: restockId }, restockRefSql(sql.raw('r.id')))).toBe(
        restockRef(restockId),
      );
    }
  });

  it('price drop: drop<price_drops id>, one per customer per drop', async () => {
    for (const customerId of ids) {
      for (const dropId of [1, 42, 9_007_199_254]) {
        const instance = priceDropRef(dropId);
        expect(parsePriceDropRef(instance)).toBe(dropId);
        const row = { customer_id: customerId, email, drop_id: dropId };
        expect(await evaluate('k', row, priceDropKey('price-drop'))).toBe(
          dedupeKey({ campaignId: 'price-drop', step: 0, customerId, email, instance }),
        );
      }
    }
  });

  it('browse abandonment: view<product>@<view time>, product ids holding the separator', async () => {
    for (const customerId of ids) {
      for (const productId of ids) {
        for (const at of times) {
          const instance = browseRef(productId, at);
          expect(parseBrowseRef(instance)).toEqual({ productId, viewedAt: at });
          const row = { customer_id: customerId, email, product_id: productId, viewed_at: at };
          expect(await evaluate('k', row, browseKey('browse'))).toBe(
            dedupeKey({ campaignId: 'browse', step: 0, customerId, email, instance }),
          );
        }
      }
    }
  });

  it('replenishment: refill<product>@<purchase time>, product ids holding the separator', async () => {
    for (const customerId of ids) {
      for (const productId of ids) {
        for (const at of times) {
          const instance = replenishRef(productId, at);
          expect(parseReplenishRef(instance)).toEqual({ productId, boughtAt: at });
          const row = { customer_id: customerId, email, product_id: productId, bought_at: at };
          expect(await evaluate('r', row, replenishmentKey('refill'))).toBe(
            dedupeKey({ campaignId: 'refill', step: 0, customerId, email, instance }),
          );
        }
      }
    }
  });
});
