import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashEmail } from '../../../src/core/email-hash.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import {
  apiKey,
  customerRow,
  events,
  messageStatus,
  seedCustomer,
  seedMessage,
  suppressionHashes,
  type TrackingApp,
  trackingApp,
} from '../support/tracking-fixtures.ts';

const t0 = Date.parse('2026-11-01T12:00:00Z');
const hour = 3_600_000;
let temp: TempStore;
let t: TrackingApp;
let ingestKey: string;

beforeEach(async () => {
  temp = await openTempStore();
  t = await trackingApp(temp.store, t0 + hour);
  ingestKey = await apiKey(temp.store, ['ingest']);
  for (const id of ['hard', 'soft', 'spam', 'ok']) {
    await seedCustomer(temp.store, id, t0);
    await seedMessage(temp.store, {
      id: `m-${id}`,
      customerId: id,
      email: `${id}@example.com`,
      providerMessageId: `prov-${id}`,
      at: t0,
    });
    await seedMessage(temp.store, {
      id: `next-${id}`,
      campaignId: 'cart',
      customerId: id,
      email: `${id}@example.com`,
      status: 'scheduled',
      at: t0 + 2 * hour,
    });
  }
  // Sent over SMTP: the Message-ID we set is what the provider reports.
  await seedMessage(temp.store, {
    id: 'm-smtp',
    customerId: 'ok',
    email: 'ok@example.com',
    providerMessageId: '<m-smtp@mail.shop.example>',
    at: t0,
  });
});
afterEach(() => temp.cleanup());

function send(body: unknown, key: string | null = ingestKey) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return t.app.request('/v1/events', { method: 'POST', headers, body: JSON.stringify(body) });
}

describe('POST /v1/events', () => {
  it('records events, suppresses on hard bounces and complaints only, and reports unknown ids', async () => {
    const res = await send([
      { type: 'delivered', message_id: 'prov-ok', at: '2026-11-01T12:00:05Z' },
      { type: 'bounce', bounce_type: 'hard', message_id: 'prov-hard' },
      { type: 'bounce', bounce_type: 'soft', message_id: 'prov-soft' },
      { type: 'complaint', message_id: 'prov-spam' },
      { type: 'delivered', message_id: 'no-such-message' },
      { type: 'delivered', message_id: 'm-smtp@mail.shop.example' },
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      received: 6,
      recorded: 5,
      duplicates: 0,
      unknown: [{ row: 4, message_id: 'no-such-message' }],
      suppressed: 2,
    });
    expect((await events(temp.store)).map((e) => [e.message_id, e.kind, e.detail, e.at])).toEqual([
      ['m-ok', 'delivered', null, Date.parse('2026-11-01T12:00:05Z')],
      ['m-hard', 'bounce', 'hard', t0 + hour],
      ['m-soft', 'bounce', 'soft', t0 + hour],
      ['m-spam', 'complaint', null, t0 + hour],
      ['m-smtp', 'delivered', null, t0 + hour],
    ]);

    expect(await customerRow(temp.store, 'hard')).toMatchObject({
      suppressed_at: t0 + hour,
      suppression_reason: 'bounced',
      marketing_consent: 1,
    });
    expect(await customerRow(temp.store, 'spam')).toMatchObject({
      suppressed_at: t0 + hour,
      suppression_reason: 'complained',
      marketing_consent: 0,
    });
    for (const id of ['soft', 'ok']) {
      expect(await customerRow(temp.store, id)).toMatchObject({ suppressed_at: null, marketing_consent: 1 });
      expect(await messageStatus(temp.store, `next-${id}`)).toEqual({
        status: 'scheduled',
        cancel_reason: null,
      });
    }
    expect(await messageStatus(temp.store, 'next-hard')).toEqual({
      status: 'cancelled',
      cancel_reason: 'bounced',
    });
    expect(await messageStatus(temp.store, 'next-spam')).toEqual({
      status: 'cancelled',
      cancel_reason: 'complained',
    });
    expect(await suppressionHashes(temp.store)).toEqual(
      (await Promise.all(['hard@example.com', 'spam@example.com'].map(hashEmail))).sort(),
    );
  });

  it('stores a replayed webhook only once', async () => {
    const batch = [
      { type: 'bounce', bounce_type: 'hard', message_id: '<prov-hard>' },
      { type: 'bounce', bounce_type: 'hard', message_id: 'prov-hard' },
    ];
    expect(await (await send(batch)).json()).toMatchObject({ recorded: 1, duplicates: 1 });
    const after = await snapshot(temp.store);
    t.clock.now += hour;
    expect(await (await send(batch)).json()).toMatchObject({ recorded: 0, duplicates: 2, suppressed: 1 });
    expect(await snapshot(temp.store)).toEqual(after);
  });

  it('accepts a single event object', async () => {
    const res = await send({ type: 'delivered', message_id: 'm-ok' });
    expect(await res.json()).toMatchObject({ received: 1, recorded: 1, unknown: [] });
  });

  it('refuses invalid input with the row and field named, storing nothing', async () => {
    const before = await snapshot(temp.store);
    const res = await send([
      { type: 'delivered', message_id: 'prov-ok' },
      { type: 'bounce', message_id: 'prov-hard' },
      { type: 'opened', message_id: 'prov-ok' },
      { type: 'delivered', message_id: 'prov-ok', at: '2026-11-01 12:00' },
      { type: 'complaint', message_id: 'prov-spam', extra: 1 },
      { type: 'delivered', message_id: '  ' },
    ]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { row?: number; field?: string }[] };
    };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.details.map((d) => [d.row, d.field])).toEqual([
      [1, 'bounce_type'],
      [2, 'type'],
      [3, 'at'],
      [4, 'extra'],
      [5, 'message_id'],
    ]);
    expect(await snapshot(temp.store)).toEqual(before);
    expect((await send([])).status).toBe(400);
    expect(
      (await send(Array.from({ length: 1001 }, () => ({ type: 'delivered', message_id: 'x' })))).status,
    ).toBe(413);
  });

  it('indexes only messages that have a provider id, and the lookup by one uses that index', async () => {
    // A sweep writes its outbox without provider ids: those rows take no
    // entry in the index (ANALYZE's first figure is the index's entry count).
    await temp.store.db.run(sql`ANALYZE`);
    const [stat] = await temp.store.db.all<{ stat: string }>(
      sql`SELECT stat FROM sqlite_stat1 WHERE idx = 'messages_provider_id_idx'`,
    );
    expect(Number(stat?.stat.split(' ')[0])).toBe(5);
    const plan = await temp.store.db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN
      SELECT m.id FROM messages m
      WHERE m.provider_message_id IN (SELECT j.value FROM json_each(${'["prov-ok"]'}) j)`);
    expect(plan.map((row) => row.detail).join('\n')).toContain('messages_provider_id_idx');
    const res = await send({ type: 'delivered', message_id: 'prov-ok' });
    expect(res.status).toBe(200);
    expect((await events(temp.store, 'm-ok')).map((e) => e.kind)).toEqual(['delivered']);
  });

  it('needs the ingest or admin scope', async () => {
    const event = { type: 'delivered', message_id: 'prov-ok' };
    expect((await send(event, null)).status).toBe(401);
    expect((await send(event, await apiKey(temp.store, ['reports']))).status).toBe(403);
    expect((await send(event, await apiKey(temp.store, ['admin']))).status).toBe(200);
  });
});
