// POST /v1/events/browse on a real libSQL file: validation of the whole list
// first (nothing stored on a bad row), shoppers matched by id or address,
// unknown and erased shoppers reported by row, one row per event even when it
// is posted twice, the retention from the settings (old events neither stored
// nor kept), the export and the erasure of a customer's history.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prunePerCall } from '../../../src/db/repositories/browse-events.ts';
import { exportCustomer } from '../../../src/db/repositories/privacy.ts';
import type { Store } from '../../../src/db/store.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import { apiKey, seedCustomer } from '../support/tracking-fixtures.ts';

const day = 86_400_000;
const now = Date.parse('2026-12-01T12:00:00Z');
let temp: TempStore;
let key: string;
let retentionDays: number | undefined;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  temp = await openTempStore();
  key = await apiKey(temp.store, ['ingest']);
  retentionDays = undefined;
  app = createApp({
    store: temp.store,
    now: () => now,
    campaigns: () => ({
      settings: {
        ...shopSettings(),
        ...(retentionDays === undefined ? {} : { browse: { retentionDays } }),
      },
      campaigns: [],
    }),
  });
  await seedCustomer(temp.store, 'ada', now - 30 * day);
  await seedCustomer(temp.store, 'bob', now - 30 * day);
});
afterEach(() => temp.cleanup());

function post(body: unknown, bearer: string | null = key) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  return app.request('/v1/events/browse', { method: 'POST', headers, body: JSON.stringify(body) });
}

const iso = (at: number) => new Date(at).toISOString();

/** A customer's stored events, oldest first. */
function browseHistory(store: Store, customerId: string) {
  return store.db.all<{ kind: string; ref: string; at: number }>(sql`SELECT kind, ref, at FROM browse_events
    WHERE customer_id = ${customerId} ORDER BY at, kind, ref`);
}

describe('POST /v1/events/browse', () => {
  it('stores views and searches for customers named by id or address, once each', async () => {
    const events = [
      { type: 'product_viewed', customer_id: 'ada', product_id: 'p-1', at: iso(now - 3 * 3_600_000) },
      { type: 'category_viewed', email: ' BOB@example.com ', category: 'Shoes', at: iso(now - 3_600_000) },
      { type: 'search', customer_id: 'ada', query: '  Red   Trainers ', at: iso(now - 60_000) },
      { type: 'product_viewed', email: 'stranger@example.com', product_id: 'p-1' },
      { type: 'product_viewed', customer_id: 'nobody', product_id: 'p-2' },
    ];
    const res = await post(events);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      received: 5,
      stored: 3,
      duplicates: 0,
      past_retention: 0,
      unknown: [{ row: 3 }, { row: 4 }],
    });
    expect(await browseHistory(temp.store, 'ada')).toEqual([
      { kind: 'product', ref: 'p-1', at: now - 3 * 3_600_000 },
      { kind: 'search', ref: 'red trainers', at: now - 60_000 },
    ]);
    expect(await browseHistory(temp.store, 'bob')).toEqual([
      { kind: 'category', ref: 'Shoes', at: now - 3_600_000 },
    ]);
    // The same list again stores nothing new.
    expect(await (await post(events)).json()).toMatchObject({ stored: 0, duplicates: 3 });
    // One event alone, without a time: now.
    expect(
      await (await post({ type: 'product_viewed', customer_id: 'bob', product_id: 'p-9' })).json(),
    ).toMatchObject({ received: 1, stored: 1, unknown: [] });
    expect((await browseHistory(temp.store, 'bob')).at(-1)).toEqual({ kind: 'product', ref: 'p-9', at: now });
  });

  it('refuses a bad list whole, naming each row and field, and stores nothing', async () => {
    const before = await snapshot(temp.store);
    const res = await post([
      { type: 'product_viewed', customer_id: 'ada', product_id: 'p-1' },
      { type: 'product_viewed', customer_id: 'ada' },
      { type: 'search', customer_id: 'ada', email: 'ada@example.com', query: 'x' },
      { type: 'category_viewed', customer_id: 'ada', category: 'Shoes', product_id: 'p-1' },
      { type: 'liked', customer_id: 'ada' },
      { type: 'search', query: 'x' },
      { type: 'product_viewed', customer_id: 123, product_id: 'p-1' },
    ]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { row?: number; field?: string }[] };
    };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.details.map((d) => [d.row, d.field])).toEqual([
      [1, 'product_id'],
      [2, 'customer_id'],
      [3, 'product_id'],
      [4, 'type'],
      [5, 'customer_id'],
      [6, 'customer_id'],
    ]);
    // From the future (past the five minutes clocks may drift): refused too.
    const future = await post([
      { type: 'product_viewed', customer_id: 'ada', product_id: 'p-1', at: iso(now + 4 * 60_000) },
      { type: 'product_viewed', customer_id: 'ada', product_id: 'p-1', at: iso(now + 6 * 60_000) },
    ]);
    expect(future.status).toBe(400);
    const detail = ((await future.json()) as { error: { details: { row?: number; field?: string }[] } }).error
      .details;
    expect(detail.map((d) => [d.row, d.field])).toEqual([[1, 'at']]);
    expect(await snapshot(temp.store)).toEqual(before);
    expect((await post([])).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, () => ({ type: 'search', customer_id: 'ada', query: 'x' }));
    expect((await post(tooMany)).status).toBe(413);
  });

  it('needs the ingest or admin scope', async () => {
    const event = { type: 'search', customer_id: 'ada', query: 'boots' };
    expect((await post(event, null)).status).toBe(401);
    expect((await post(event, await apiKey(temp.store, ['reports']))).status).toBe(403);
    expect((await post(event, await apiKey(temp.store, ['admin']))).status).toBe(200);
  });

  it("keeps the settings' retention: older events are not stored, and stored ones are pruned", async () => {
    // Stored while a longer retention held.
    retentionDays = 365;
    const old = [100, 40, 20].map((ago) => ({
      type: 'product_viewed',
      customer_id: 'ada',
      product_id: `p-${ago}`,
      at: iso(now - ago * day),
    }));
    expect(await (await post(old)).json()).toMatchObject({ stored: 3, past_retention: 0 });
    // Now 30 days: an event from 31 days ago is refused quietly, and the next call prunes.
    retentionDays = 30;
    const res = await post([
      { type: 'product_viewed', customer_id: 'ada', product_id: 'p-31', at: iso(now - 31 * day) },
      { type: 'product_viewed', customer_id: 'ada', product_id: 'p-1', at: iso(now - day) },
    ]);
    expect(await res.json()).toMatchObject({ received: 2, stored: 1, past_retention: 1 });
    expect((await browseHistory(temp.store, 'ada')).map((e) => e.ref)).toEqual(['p-20', 'p-1']);
    // The default retention is 90 days.
    retentionDays = undefined;
    const defaults = await post({
      type: 'product_viewed',
      customer_id: 'bob',
      product_id: 'p-91',
      at: iso(now - 91 * day),
    });
    expect(await defaults.json()).toMatchObject({ stored: 0, past_retention: 1 });
  });

  it('prunes a long backlog a bounded number of rows per call', async () => {
    const rows = Array.from({ length: prunePerCall + 10 }, (_, i) => ({
      c: 'ada',
      k: 'product',
      r: `p-${i}`,
      a: now - 200 * day + i,
    }));
    await temp.store.db.run(sql`INSERT INTO browse_events (customer_id, kind, ref, at)
      SELECT json_extract(j.value, '$.c'), json_extract(j.value, '$.k'), json_extract(j.value, '$.r'),
        json_extract(j.value, '$.a') FROM json_each(${JSON.stringify(rows)}) j`);
    const count = async () =>
      (await temp.store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM browse_events`))[0]?.n;
    await post({ type: 'search', customer_id: 'bob', query: 'hats' });
    expect(await count()).toBe(10 + 1);
    await post({ type: 'search', customer_id: 'bob', query: 'caps' });
    expect(await count()).toBe(2);
  });

  it("is in the customer's export and goes with their erasure; an erased customer gets no more", async () => {
    await post([
      { type: 'product_viewed', customer_id: 'ada', product_id: 'p-1', at: iso(now - day) },
      { type: 'search', customer_id: 'bob', query: 'boots' },
    ]);
    const exported = await exportCustomer(temp.store, 'ada');
    expect(exported?.browse).toEqual([{ customer_id: 'ada', kind: 'product', ref: 'p-1', at: now - day }]);
    const admin = await apiKey(temp.store, ['privacy']);
    const erased = await app.request('/v1/customers/ada', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(erased.status).toBe(200);
    expect(await browseHistory(temp.store, 'ada')).toEqual([]);
    expect(await browseHistory(temp.store, 'bob')).toHaveLength(1);
    const after = await post({ type: 'product_viewed', customer_id: 'ada', product_id: 'p-2' });
    expect(await after.json()).toMatchObject({ stored: 0, unknown: [{ row: 0 }] });
  });
});
