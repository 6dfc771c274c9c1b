// Writes built once and then only bound (src/db/repositories/prepared.ts
// boundWrites) on D1 in workerd: drizzle's D1 batch binds them through the
// statement prepared once, with each call's values, and a failure later in
// the batch takes them back with it.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  readVersions,
  recordDeliveryStatement,
  versionStatement,
} from '../../src/db/repositories/platform-webhooks.ts';
import { testStore, uniquePrefix } from './support/worker-client.ts';

const deliveries = async (prefix: string) =>
  (
    await env.DB.prepare(
      'select delivery_id as id from webhook_deliveries where delivery_id like ? order by 1',
    )
      .bind(`${prefix}-%`)
      .all<{ id: string }>()
  ).results.map((row) => row.id);

describe('bound writes on D1', () => {
  it('binds each call its own values in one batch', async () => {
    const store = testStore();
    const prefix = uniquePrefix();
    const now = Date.now();
    await store.batch([
      recordDeliveryStatement(store, { platform: 'shopify', deliveryId: `${prefix}-1`, topic: 't', now }),
      recordDeliveryStatement(store, { platform: 'shopify', deliveryId: `${prefix}-2`, topic: 't', now }),
      versionStatement(store, {
        platform: 'shopify',
        resource: 'order',
        id: `${prefix}-o`,
        version: 7,
        mode: 'claim',
      }),
    ]);
    expect(await deliveries(prefix)).toEqual([`${prefix}-1`, `${prefix}-2`]);
    const versions = await readVersions(store, { platform: 'shopify', resource: 'order' }, [`${prefix}-o`]);
    expect(versions.get(`${prefix}-o`)).toEqual({ version: 7, digest: null });
  });

  it('is rolled back with its batch: a stale claim after it undoes it', async () => {
    const store = testStore();
    const prefix = uniquePrefix();
    const key = { platform: 'shopify', resource: 'order', id: `${prefix}-o` };
    await store.batch([versionStatement(store, { ...key, version: 9, mode: 'claim' })]);
    await expect(
      store.batch([
        recordDeliveryStatement(store, {
          platform: 'shopify',
          deliveryId: `${prefix}-1`,
          topic: 't',
          now: 1,
        }),
        versionStatement(store, { ...key, version: 8, mode: 'claim' }),
      ]),
    ).rejects.toThrow();
    expect(await deliveries(prefix)).toEqual([]);
    const versions = await readVersions(store, { platform: 'shopify', resource: 'order' }, [key.id]);
    expect(versions.get(key.id)?.version).toBe(9);
  });
});
