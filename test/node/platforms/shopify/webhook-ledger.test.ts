// The shared webhook ledger on a real libSQL file: the guards inside a
// delivery's batch roll the whole batch back (a racing duplicate, a racing
// newer state), which the read-first checks alone cannot promise.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimVersions } from '../../../../src/adapters/platforms/shared/newer-state-wins.ts';
import { applyDelivery } from '../../../../src/adapters/platforms/shared/webhook-ledger.ts';
import { webhookUnknownTopics } from '../../../../src/db/schema/index.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

const key = { platform: 'shopify', resource: 'order' };
const delivery = (deliveryId: string) => ({
  platform: 'shopify',
  deliveryId,
  topic: 'orders/updated',
  now: 1_000,
});
const marker = (topic: string) =>
  temp.store.db
    .insert(webhookUnknownTopics)
    .values({ platform: 'test', topic, count: 1, firstSeenAt: 1, lastSeenAt: 1 });

describe('applyDelivery', () => {
  it('rolls back a batch whose claim lost to a newer version, and remembers the delivery', async () => {
    expect(
      await applyDelivery(temp.store, delivery('d1'), [
        ...claimVersions(temp.store, key, [{ id: 'o1', version: 20 }]),
      ]),
    ).toBe('applied');
    const outcome = await applyDelivery(temp.store, delivery('d2'), [
      marker('written-by-the-stale-batch'),
      ...claimVersions(temp.store, key, [{ id: 'o1', version: 10 }]),
    ]);
    expect(outcome).toBe('stale');
    expect(await temp.store.db.all(sql`select topic from webhook_unknown_topics`)).toEqual([]);
    expect(await temp.store.db.all(sql`select version from platform_versions`)).toEqual([{ version: 20 }]);
    const seen = await temp.store.db.all(
      sql`select delivery_id from webhook_deliveries order by delivery_id`,
    );
    expect(seen).toEqual([{ delivery_id: 'd1' }, { delivery_id: 'd2' }]);
  });

  it('treats an equal version as the same state: not newer', async () => {
    await applyDelivery(
      temp.store,
      delivery('d1'),
      claimVersions(temp.store, key, [{ id: 'o1', version: 20 }]),
    );
    expect(
      await applyDelivery(
        temp.store,
        delivery('d2'),
        claimVersions(temp.store, key, [{ id: 'o1', version: 20 }]),
      ),
    ).toBe('stale');
  });

  it('rolls back a second batch of the same delivery', async () => {
    expect(await applyDelivery(temp.store, delivery('d1'), [marker('first')])).toBe('applied');
    expect(await applyDelivery(temp.store, delivery('d1'), [marker('second')])).toBe('duplicate');
    expect(await temp.store.db.all(sql`select topic from webhook_unknown_topics`)).toEqual([
      { topic: 'first' },
    ]);
  });
});
