// "Newer state wins" on a real libSQL file: the version statements that lead
// a delivery's batch follow compareVersions (the pure rule, the oracle) on
// random input, with and without digests, and a WooCommerce change overtaken
// between its read and its write is rolled back whole.

import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareVersions } from '../../../../src/adapters/platforms/shared/newer-state-wins.ts';
import { applyIfNewer } from '../../../../src/adapters/platforms/woocommerce/apply-change.ts';
import { customerInput } from '../../../../src/core/ingest/records.ts';
import { readVersions, versionStatement } from '../../../../src/db/repositories/platform-webhooks.ts';
import { ingestStatements } from '../../../../src/services/ingest/ingest-records.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

const key = { platform: 'test', resource: 'customer' };

function writeCustomer(id: string, now: number) {
  const record = customerInput.parse({ id, email: `${id}@example.com` });
  return ingestStatements({ store: temp.store }, { kind: 'customers', records: [record], now });
}

const customerIds = async () =>
  (await temp.store.db.all<{ id: string }>(sql`select id from customers order by id`)).map((r) => r.id);

const stored = async (platform = 'test', resource = 'customer', id = '1') =>
  (await readVersions(temp.store, { platform, resource }, [id])).get(id);

describe('the version statements', () => {
  // Versions close together and few digests, so equal versions and equal digests come up often.
  const version = fc.record({
    version: fc.integer({ min: 0, max: 3 }),
    digest: fc.constantFrom(null, 'a', 'b'),
  });

  it('let a claim through exactly when compareVersions says newer, and write nothing otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(version, { nil: undefined }), version, async (before, incoming) => {
        await temp.store.db.run(sql`delete from platform_versions`);
        await temp.store.db.run(sql`delete from customers`);
        if (before)
          await temp.store.batch([
            versionStatement(temp.store, { ...key, id: '1', ...before, mode: 'claim' }),
          ]);
        const claim = versionStatement(temp.store, { ...key, id: '1', ...incoming, mode: 'claim' });
        const passed = await temp.store.batch([claim, ...writeCustomer('c1', 1)]).then(
          () => true,
          () => false,
        );
        const newer = compareVersions(before, incoming) === 'newer';
        expect(passed).toBe(newer);
        expect(await customerIds()).toEqual(newer ? ['c1'] : []);
        expect(await stored()).toEqual(newer ? incoming : before);
      }),
      { numRuns: 80 },
    );
  });

  it('raise the stored version exactly when compareVersions says newer, and never fail', async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(version, { nil: undefined }), version, async (before, incoming) => {
        await temp.store.db.run(sql`delete from platform_versions`);
        if (before)
          await temp.store.batch([
            versionStatement(temp.store, { ...key, id: '1', ...before, mode: 'raise' }),
          ]);
        await temp.store.batch([
          versionStatement(temp.store, { ...key, id: '1', ...incoming, mode: 'raise' }),
        ]);
        expect(await stored()).toEqual(compareVersions(before, incoming) === 'newer' ? incoming : before);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a WooCommerce change (applyIfNewer)', () => {
  const change = (version: number | null, digest: string) => ({
    resource: 'customer',
    resourceId: '1',
    version,
    digest,
  });
  const wooStored = () => stored('woocommerce');

  it('is rolled back when a newer one overtook it after it read the version', async () => {
    let inner: string | undefined;
    const outcome = await applyIfNewer(temp.store, change(1000, 'older'), 5, async () => {
      // The newer delivery lands while the older one is between its read and its batch.
      inner = await applyIfNewer(temp.store, change(2000, 'newer'), 6, async () =>
        writeCustomer('from-newer', 6),
      );
      return writeCustomer('from-older', 5);
    });
    expect(inner).toBe('applied');
    expect(outcome).toBe('stale');
    expect(await customerIds()).toEqual(['from-newer']);
    expect(await wooStored()).toEqual({ version: 2000, digest: 'newer' });
  });

  it('answers duplicate when the same state overtook it', async () => {
    const outcome = await applyIfNewer(temp.store, change(1000, 'same'), 5, async () => {
      await applyIfNewer(temp.store, change(1000, 'same'), 6, async () => writeCustomer('first', 6));
      return writeCustomer('second', 5);
    });
    expect(outcome).toBe('duplicate');
    expect(await customerIds()).toEqual(['first']);
  });

  it('applies another body saved in the same second', async () => {
    expect(await applyIfNewer(temp.store, change(1000, 'a'), 5, async () => [])).toBe('applied');
    expect(await applyIfNewer(temp.store, change(1000, 'b'), 6, async () => writeCustomer('b', 6))).toBe(
      'applied',
    );
    expect(await customerIds()).toEqual(['b']);
  });

  it('versions a deletion just past the stored version, or at the receipt time when later', async () => {
    await applyIfNewer(temp.store, change(9000, 'x'), 10, async () => []);
    await applyIfNewer(temp.store, change(null, 'deleted'), 10, async () => []);
    expect(await wooStored()).toEqual({ version: 9001, digest: 'deleted' });
    const again = await applyIfNewer(temp.store, change(null, 'deleted'), 20_000, async () =>
      writeCustomer('again', 20_000),
    );
    expect(again).toBe('duplicate');
    expect(await customerIds()).toEqual([]);
    await temp.store.db.run(sql`delete from platform_versions`);
    await applyIfNewer(temp.store, change(null, 'deleted'), 20_000, async () => []);
    expect(await wooStored()).toEqual({ version: 20_000, digest: 'deleted' });
  });
});
