// Shopify's mandatory privacy topics through POST /webhooks/shopify on a real
// libSQL file: customers/redact erases the customer and suppresses the
// address (also one Rekindle knows only from a guest cart), shop/redact
// erases every customer, customers/data_request is answered and logged
// without personal data.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashEmail } from '../../../../src/core/email-hash.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';
import { fixtureText, shopifyClient } from './shopify-client.ts';

const now = Date.parse('2026-11-23T12:00:00Z');
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

function client() {
  return shopifyClient(temp.store, { now: () => now });
}

async function suppressed(email: string): Promise<boolean> {
  const rows = await temp.store.db.all(
    sql`select 1 from suppressions where email_hash = ${await hashEmail(email)}`,
  );
  return rows.length > 0;
}

describe('customers/redact', () => {
  it('erases the customer and suppresses the address', async () => {
    const shop = client();
    await shop.send('customers/create', fixtureText('customers-create.json'));
    const response = await shop.send('customers/redact', fixtureText('customers-redact.json'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'applied', note: 'erased and suppressed' });
    const [row] = await temp.store.db.all(
      sql`select email, first_name, last_name, marketing_consent, erased_at from customers`,
    );
    expect(row).toEqual({
      email: null,
      first_name: null,
      last_name: null,
      marketing_consent: 0,
      erased_at: now,
    });
    expect(await suppressed('bob@example.com')).toBe(true);
  });

  it('a customer update or consent update after the redact never fills the customer in again', async () => {
    const shop = client();
    await shop.send('customers/create', fixtureText('customers-create.json'));
    await shop.send('customers/redact', fixtureText('customers-redact.json'));
    // Shopify may still deliver an update it queued before the redact, or a newer one.
    const later = fixtureText('customers-create.json').replace(
      /"updated_at": "[^"]+"/,
      '"updated_at": "2030-01-01T00:00:00+00:00"',
    );
    const update = await shop.send('customers/update', later);
    expect(await update.json()).toMatchObject({ outcome: 'skipped' });
    const consent = await shop.send(
      'customers_email_marketing_consent/update',
      fixtureText('customers-email-marketing-consent-update.json'),
    );
    expect(await consent.json()).toMatchObject({ outcome: 'skipped' });
    const rows = await temp.store.db.all(
      sql`select email, first_name, last_name, marketing_consent, erased_at from customers`,
    );
    expect(rows).toEqual([
      { email: null, first_name: null, last_name: null, marketing_consent: 0, erased_at: now },
    ]);
  });

  it('erases guest rows and suppresses an address Rekindle has no customer for', async () => {
    const shop = client();
    const guest = fixtureText('checkouts-create.json')
      .replaceAll('jane@example.com', 'bob@example.com')
      .replace(/"customer": \{[\s\S]*?"default_address": null\n {2}\}/, '"customer": null');
    await shop.send('checkouts/create', guest);
    const [before] = await temp.store.db.all(sql`select customer_id, email from carts`);
    expect(before).toEqual({ customer_id: null, email: 'bob@example.com' });
    await shop.send('customers/redact', fixtureText('customers-redact.json'));
    const [after] = await temp.store.db.all(sql`select email, recovery_url from carts`);
    expect(after).toEqual({ email: null, recovery_url: null });
    expect(await suppressed('bob@example.com')).toBe(true);
  });
});

describe('shop/redact', () => {
  it('erases every customer', async () => {
    const shop = client();
    for (const n of [1, 2, 3]) {
      await shop.send(
        'customers/create',
        fixtureText('customers-create.json')
          .replaceAll('706405506930370084', `70640550693037008${n}`)
          .replace('bob@example.com', `bob${n}@example.com`),
      );
    }
    const response = await shop.send('shop/redact', fixtureText('shop-redact.json'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'applied', note: 'erased 3 customers' });
    const left = await temp.store.db.all(
      sql`select id from customers where erased_at is null or email is not null`,
    );
    expect(left).toEqual([]);
    for (const n of [1, 2, 3]) expect(await suppressed(`bob${n}@example.com`)).toBe(true);
  });
});

describe('shop/redact past its time budget', () => {
  it("answers 503 with the rest left, and Shopify's retry of the same delivery finishes it", async () => {
    let clock = now;
    const shop = shopifyClient(temp.store, { now: () => (clock += 2_000) });
    for (const n of [1, 2, 3]) {
      await shop.send(
        'customers/create',
        fixtureText('customers-create.json').replaceAll('706405506930370084', `70640550693037008${n}`),
      );
    }
    const first = await shop.send('shop/redact', fixtureText('shop-redact.json'), { deliveryId: 'redact-1' });
    expect(first.status).toBe(503);
    const erased = await temp.store.db.all(sql`select id from customers where erased_at is not null`);
    expect(erased.length).toBeGreaterThan(0);
    expect(erased.length).toBeLessThan(3);
    const statuses: number[] = [];
    for (let tries = 0; tries < 3 && statuses.at(-1) !== 200; tries++) {
      statuses.push(
        (await shop.send('shop/redact', fixtureText('shop-redact.json'), { deliveryId: 'redact-1' })).status,
      );
    }
    expect(statuses.at(-1)).toBe(200);
    expect(await temp.store.db.all(sql`select id from customers where erased_at is null`)).toEqual([]);
  });
});

describe('customers/data_request', () => {
  it('answers 200 and logs the request without personal data', async () => {
    const shop = client();
    await shop.send('customers/create', fixtureText('customers-create.json'));
    const response = await shop.send('customers/data_request', fixtureText('customers-data-request.json'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ outcome: 'applied' });
    expect(shop.logs).toHaveLength(1);
    expect(shop.logs[0]).toContain('customers/data_request 9999');
    expect(shop.logs[0]).toContain('/v1/customers/{id}/export');
    expect(shop.logs[0]).not.toMatch(/bob|example\.com|555-625|706405506930370084/);
  });
});
