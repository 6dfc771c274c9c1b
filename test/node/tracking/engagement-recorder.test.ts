// Opens and clicks as `rekindle serve` stores them: queued by the routes,
// written in batches, with the per-link cap still holding inside one batch,
// and a failed write reported by count, never by content.
import { DrizzleQueryError } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenSigner, trackingPaths } from '../../../src/core/tracking/tokens.ts';
import type { Store } from '../../../src/db/store.ts';
import { createApp } from '../../../src/http/create-app.ts';
import {
  type BufferedEngagementRecorder,
  writeEngagementBehind,
} from '../../../src/services/tracking/engagement-recorder.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';
import { baseUrl, events, seedMessage, signingSecret } from '../support/tracking-fixtures.ts';

const t0 = Date.parse('2026-03-02T10:00:00Z');
type Query = { toSQL(): { params: unknown[] } };
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await seedMessage(temp.store, {
    id: 'm1',
    customerId: null,
    email: 'ada@example.com',
    links: ['https://shop.example/a', 'https://shop.example/b'],
    at: t0,
  });
});
afterEach(async () => {
  await temp.cleanup();
});

async function appWith(engagement?: BufferedEngagementRecorder) {
  const signer = await createTokenSigner(signingSecret);
  const app = createApp({
    store: temp.store,
    now: () => t0 + 60_000,
    tracking: { signer, baseUrl },
    engagement,
  });
  const click = async (linkIndex: number) =>
    app.request(trackingPaths.click(await signer.sign({ purpose: 'click', messageId: 'm1', linkIndex })));
  const open = async () =>
    app.request(trackingPaths.open(await signer.sign({ purpose: 'open', messageId: 'm1' })), {
      headers: { 'user-agent': 'Thunderbird/128.0', 'x-forwarded-for': '198.51.100.7' },
    });
  return { click, open };
}

/** Resolves once the table holds `count` events: waits for the write, asserts no timing. */
async function eventsReach(store: Store, count: number) {
  for (let tries = 0; tries < 500; tries++) {
    if ((await events(store)).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never saw ${count} events`);
}

describe('opens and clicks written before the answer (the Worker, and the default)', () => {
  it('stops recording a message at 50 opens and a link at 20 clicks', async () => {
    const { click, open } = await appWith();
    for (let i = 0; i < 55; i++) expect((await open()).status).toBe(200);
    for (let i = 0; i < 22; i++) expect((await click(1)).status).toBe(302);
    await click(0);
    const rows = await events(temp.store);
    const count = (kind: string, link: number | null) =>
      rows.filter((e) => e.kind === kind && e.link_index === link).length;
    expect([count('open', null), count('click', 1), count('click', 0)]).toEqual([50, 20, 1]);
  });
});

describe('write-behind engagement recorder', () => {
  it('answers before writing, then writes the whole queue in one batch with the click cap holding', async () => {
    const recorder = writeEngagementBehind(temp.store, { maxDelayMs: 60_000, log: () => {} });
    const { click, open } = await appWith(recorder);
    const answers = await Promise.all([
      ...Array.from({ length: 25 }, () => click(0)),
      click(1),
      open(),
      open(),
    ]);
    expect(answers.map((r) => r.status)).toEqual([...Array(26).fill(302), 200, 200]);
    expect(await events(temp.store)).toEqual([]);

    await recorder.flush();
    const rows = await events(temp.store);
    const count = (kind: string, link: number | null) =>
      rows.filter((e) => e.kind === kind && e.link_index === link).length;
    expect([count('click', 0), count('click', 1), count('open', null)]).toEqual([20, 1, 2]);
  });

  it('writes on its own after the delay, and at once when the queue is full', async () => {
    const timed = writeEngagementBehind(temp.store, { maxDelayMs: 5, log: () => {} });
    await (await appWith(timed)).click(0);
    await eventsReach(temp.store, 1);

    const full = writeEngagementBehind(temp.store, { maxDelayMs: 60_000, maxQueued: 3, log: () => {} });
    const { click } = await appWith(full);
    await Promise.all([click(1), click(1), click(1)]);
    await eventsReach(temp.store, 4);
  });

  it('reports a failed write by count and reason only, and keeps writing later events', async () => {
    const lines: string[] = [];
    let failures = 1;
    const busy = new Error('SQLITE_BUSY: database is locked');
    const flaky: Store = {
      ...temp.store,
      async batch(statements) {
        if (failures-- > 0) {
          // As drizzle reports a failed query: the bound values are in its message.
          const params = statements.map((s) => JSON.stringify((s as unknown as Query).toSQL().params));
          throw new DrizzleQueryError('insert into "tracking_events" ...', params, busy);
        }
        return temp.store.batch(statements);
      },
    };
    const recorder = writeEngagementBehind(flaky, { maxDelayMs: 60_000, log: (line) => lines.push(line) });
    const { click, open } = await appWith(recorder);
    await click(0);
    await open();
    await recorder.flush();
    expect(lines).toEqual(['tracking: lost 2 open/click events: SQLITE_BUSY: database is locked']);
    expect(lines.join('\n')).not.toMatch(/@|198\.51|Thunderbird|m1/);

    await click(1);
    await recorder.flush();
    expect((await events(temp.store)).map((e) => [e.kind, e.link_index])).toEqual([['click', 1]]);
  });
});
