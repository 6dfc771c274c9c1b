// "Newer state wins" on a real libSQL file: the version claim that leads a
// delivery's batch follows compareVersions (the oracle) on random input, and a
// delivery overtaken between its read and its write is rolled back whole.

import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyIfNewer, compareVersions } from '../../../../src/adapters/platforms/shared/newer-state.ts';
import { customerInput } from '../../../../src/core/ingest/records.ts';
import {
  claimResourceVersion,
  readResourceVersion,
} from '../../../../src/db/repositories/resource-versions.ts';
import { ingestStatements } from '../../../../src/services/ingest/ingest-records.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

const key = { platform: 'test', resource: 'customer', resourceId: '1' };

function writeCustomer(id: string, now: number) {
  const record = customerInput.parse({ id, email: `${id}@example.com` });
  return ingestStatements({ store: temp.store }, { kind: 'customers', records: [record], now });
}

const customerIds = async () =>
  (await temp.store.db.all<{ id: string }>(sql`select id from customers order by id`)).map((r) => r.id);

describe('the version claim', () => {
  it('lets a batch through exactly when compareVersions says newer, and writes nothing otherwise', async () => {
    const version = fc.record({
      versionAt: fc.integer({ min: 0, max: 4 }),
      digest: fc.constantFrom('a', 'b'),
    });
    await fc.assert(
      fc.asyncProperty(fc.option(version, { nil: null }), version, async (stored, incoming) => {
        await temp.store.db.run(sql`delete from webhook_resource_versions`);
        await temp.store.db.run(sql`delete from customers`);
        if (stored) {
          await temp.store.batch([
            claimResourceVersion(temp.store, key, { ...stored, deliveryId: null, appliedAt: 0 }),
          ]);
        }
        const claim = claimResourceVersion(temp.store, key, { ...incoming, deliveryId: 'd', appliedAt: 1 });
        const passed = await temp.store.batch([claim, ...writeCustomer('c1', 1)]).then(
          () => true,
          () => false,
        );
        const expected = compareVersions(stored, incoming) === 'newer';
        expect(passed).toBe(expected);
        expect(await customerIds()).toEqual(expected ? ['c1'] : []);
        expect(await readResourceVersion(temp.store, key)).toEqual(expected ? incoming : stored);
      }),
      { numRuns: 60 },
    );
  });
});

describe('applyIfNewer', () => {
  it('rolls back a delivery that a newer one overtook after it read the version', async () => {
    const older = { key, versionAt: 1000, digest: 'older', deliveryId: 'a' };
    const newer = { key, versionAt: 2000, digest: 'newer', deliveryId: 'b' };
    let inner: string | undefined;
    const outcome = await applyIfNewer(temp.store, older, 5, async () => {
      // The newer delivery lands while the older one is between its read and its batch.
      inner = await applyIfNewer(temp.store, newer, 6, async () => writeCustomer('from-newer', 6));
      return writeCustomer('from-older', 5);
    });
    expect(inner).toBe('applied');
    expect(outcome).toBe('stale');
    expect(await customerIds()).toEqual(['from-newer']);
    expect(await readResourceVersion(temp.store, key)).toEqual({ versionAt: 2000, digest: 'newer' });
  });

  it('answers duplicate when the same state overtook it', async () => {
    const delivery = { key, versionAt: 1000, digest: 'same', deliveryId: 'a' };
    const outcome = await applyIfNewer(temp.store, delivery, 5, async () => {
      await applyIfNewer(temp.store, delivery, 6, async () => writeCustomer('first', 6));
      return writeCustomer('second', 5);
    });
    expect(outcome).toBe('duplicate');
    expect(await customerIds()).toEqual(['first']);
  });

  it('versions a deletion just past the stored version, or at the receipt time when later', async () => {
    await applyIfNewer(
      temp.store,
      { key, versionAt: 9000, digest: 'x', deliveryId: null },
      10,
      async () => [],
    );
    await applyIfNewer(
      temp.store,
      { key, versionAt: null, digest: 'deleted', deliveryId: null },
      10,
      async () => [],
    );
    expect(await readResourceVersion(temp.store, key)).toEqual({ versionAt: 9001, digest: 'deleted' });
    const again = await applyIfNewer(
      temp.store,
      { key, versionAt: null, digest: 'deleted', deliveryId: null },
      20_000,
      async () => writeCustomer('again', 20_000),
    );
    expect(again).toBe('duplicate');
    expect(await customerIds()).toEqual([]);
  });
});
