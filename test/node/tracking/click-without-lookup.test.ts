// The click redirect for tokens with their link signed in, as delivery now
// signs them: answered with the store's reads refused, to the signed link,
// still only to a safe one, and recorded only for a message that exists.
// Index-only tokens (emails sent before) keep reading the stored message.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackingPaths } from '../../../src/core/tracking/tokens.ts';
import { trackLinks } from '../../../src/core/tracking/track-links.ts';
import type { Store } from '../../../src/db/store.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { writeEngagementBehind } from '../../../src/services/tracking/engagement-recorder.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import { baseUrl, events, seedMessage, type TrackingApp, trackingApp } from '../support/tracking-fixtures.ts';

const t0 = Date.parse('2026-11-01T12:00:00Z');
const links = ['https://shop.example/p/1?utm_source=rekindle', 'https://shop.example/cart'];

let temp: TempStore;
let t: TrackingApp;

beforeEach(async () => {
  temp = await openTempStore();
  t = await trackingApp(temp.store, t0 + 60_000);
  await seedMessage(temp.store, { id: 'm1', customerId: null, email: 'ada@example.com', links, at: t0 });
});
afterEach(() => temp.cleanup());

/** The store with every read refused (writes still go through): what answers must not need. */
function withoutReads(store: Store): { store: Store; refused: string[] } {
  const refused: string[] = [];
  const reads = new Set(['select', 'selectDistinct', 'all', 'get', 'values']);
  const db = new Proxy(store.db, {
    get(target, property, receiver) {
      if (typeof property === 'string' && reads.has(property)) {
        return () => {
          refused.push(property);
          throw new Error(`read refused: db.${property}`);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return { store: { ...store, db }, refused };
}

async function signedClick(messageId: string, linkIndex: number, target: string) {
  return trackingPaths.click(await t.signer.sign({ purpose: 'click', messageId, linkIndex, target }));
}

describe('click tokens with the link signed in', () => {
  it('redirect and record with no database read, as trackLinks signs them', async () => {
    const tracked = await trackLinks({
      html: `<a href="${links[0]}">A</a><a href="${links[1]}">B</a>`,
      messageId: 'm1',
      signer: t.signer,
      baseUrl,
      signTargets: true,
    });
    const clicks = [...tracked.html.matchAll(/href="https:\/\/mail\.shop\.example(\/t\/c\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
    const blind = withoutReads(temp.store);
    const app = createApp({
      store: blind.store,
      now: () => t0 + 60_000,
      tracking: { signer: t.signer, baseUrl },
    });
    for (const [i, path] of clicks.entries()) {
      const res = await app.request(path, { headers: { 'user-agent': 'Mozilla/5.0' } });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(links[i]);
      expect(res.headers.get('cache-control')).toBe('no-store, private');
    }
    expect(blind.refused).toEqual([]);
    expect((await events(temp.store)).map((e) => [e.kind, e.link_index, e.user_agent])).toEqual([
      ['click', 0, 'Mozilla/5.0'],
      ['click', 1, 'Mozilla/5.0'],
    ]);

    // Control: an index-only token needs the read, which this store refuses.
    const stored = trackingPaths.click(
      await t.signer.sign({ purpose: 'click', messageId: 'm1', linkIndex: 0 }),
    );
    expect((await app.request(stored)).status).toBe(500);
    expect(blind.refused.length).toBeGreaterThan(0);
  });

  it('go where the email pointed even if the stored row changed since; index-only tokens follow the row', async () => {
    const signed = await signedClick('m1', 1, links[1]!);
    const stored = trackingPaths.click(
      await t.signer.sign({ purpose: 'click', messageId: 'm1', linkIndex: 1 }),
    );
    const moved = JSON.stringify([links[0], 'https://shop.example/moved']);
    await temp.store.db.run(sql`update messages set links = ${moved}`);
    expect((await t.app.request(signed)).headers.get('location')).toBe(links[1]);
    expect((await t.app.request(stored)).headers.get('location')).toBe('https://shop.example/moved');
  });

  it('never redirect to a signed link that is not a safe link, and record nothing for it', async () => {
    const before = await snapshot(temp.store);
    for (const target of [
      'javascript:alert(1)',
      '//evil.example/',
      'https://shop.example/\r\nSet-Cookie: a=b',
    ]) {
      const res = await t.app.request(await signedClick('m1', 0, target));
      expect(res.status, target).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('redirect for a message that was never stored (a test send) but record nothing, written now or behind', async () => {
    const before = await snapshot(temp.store);
    const res = await t.app.request(await signedClick('test-never-stored', 0, links[0]!));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(links[0]);
    expect(await snapshot(temp.store)).toEqual(before);

    // Behind, in one batch with a real click: the stray is dropped, the batch is not.
    const recorder = writeEngagementBehind(temp.store, { maxDelayMs: 60_000, log: () => {} });
    const app = createApp({
      store: temp.store,
      now: () => t0 + 60_000,
      tracking: { signer: t.signer, baseUrl },
      engagement: recorder,
    });
    expect((await app.request(await signedClick('test-never-stored', 0, links[0]!))).status).toBe(302);
    expect((await app.request(await signedClick('m1', 0, links[0]!))).status).toBe(302);
    await recorder.flush();
    expect((await events(temp.store)).map((e) => [e.message_id, e.link_index])).toEqual([['m1', 0]]);
  });

  it('carry a long link through the route, and fall back to the stored one past the bound', async () => {
    const long = `https://shop.example/p?${'q=1&'.repeat(350)}`;
    const longer = `https://shop.example/p?${'q=1&'.repeat(500)}`;
    await temp.store.db.run(sql`update messages set links = ${JSON.stringify([long, longer])}`);
    const signedLong = await signedClick('m1', 0, long);
    expect(signedLong.split('.')).toHaveLength(3);
    const res = await t.app.request(signedLong);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(long);
    const fallback = await signedClick('m1', 1, longer);
    expect(fallback.split('.')).toHaveLength(2);
    expect((await t.app.request(fallback)).headers.get('location')).toBe(longer);
  });

  it('keep the per-link cap', async () => {
    const path = await signedClick('m1', 0, links[0]!);
    for (let i = 0; i < 22; i++) expect((await t.app.request(path)).status).toBe(302);
    expect(await events(temp.store)).toHaveLength(20);
  });
});
