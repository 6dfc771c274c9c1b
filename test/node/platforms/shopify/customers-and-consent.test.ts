// Customers and their consent through POST /webhooks/shopify on a real
// libSQL file: a consent update to unsubscribed means the customer is never
// mailed (a planned message is cancelled before sending, no new one is
// planned), a late customer update carrying older consent never
// re-subscribes them, a deleted customer loses consent.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../../src/adapters/mailer/memory.ts';
import type { CampaignSet } from '../../../../src/core/campaigns/types.ts';
import { drainOutbox } from '../../../../src/services/delivery/drain-outbox.ts';
import { runSweep } from '../../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings } from '../../support/campaign-fixtures.ts';
import { deliveryOptions } from '../../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../../support/temp-store.ts';
import { fixtureText, shopifyClient, withFields } from './shopify-client.ts';

const day = 86_400_000;
const now = Date.parse('2026-11-23T12:00:00Z');
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

const campaigns: CampaignSet = {
  settings: shopSettings({ currency: 'USD', frequencyCap: { maxMessages: 10, perDays: 1 } }),
  campaigns: [dormantCampaign()],
};
const bob = '706405506930370084';
const alice = '706405506930370085';

function client() {
  return shopifyClient(temp.store, { now: () => now, campaigns });
}

function customerText(id: string, email: string): string {
  return fixtureText('customers-create.json').replaceAll(bob, id).replace('bob@example.com', email);
}

/** A paid order of `customerId` placed 120 days ago: a lapsed buyer. */
function oldOrder(customerId: string, orderId: string): string {
  const placed = new Date(now - 120 * day).toISOString();
  return withFields(
    fixtureText('orders-create.json')
      .replaceAll('115310627314723954', customerId)
      .replaceAll('820982911946154508', orderId)
      .replace('"checkout_token": "0123456789abcdef0123456789abcdef"', '"checkout_token": null'),
    { created_at: placed, processed_at: placed, updated_at: placed },
  );
}

async function consent(id: string): Promise<number | undefined> {
  const [row] = await temp.store.db.all<{ marketing_consent: number }>(
    sql`select marketing_consent from customers where id = ${id}`,
  );
  return row?.marketing_consent;
}

function sweep() {
  return runSweep({ store: temp.store, campaigns, now, dryRun: false, pageSize: 10 });
}

describe('customers', () => {
  it('stores the customer with consent, tags and country from the payload', async () => {
    await client().send('customers/create', fixtureText('customers-create.json'));
    const rows = await temp.store.db.all(
      sql`select id, email, first_name, last_name, country, tags, marketing_consent from customers`,
    );
    expect(rows).toEqual([
      {
        id: bob,
        email: 'bob@example.com',
        first_name: 'Bob',
        last_name: 'Norman',
        country: 'US',
        tags: '["vip","newsletter"]',
        marketing_consent: 1,
      },
    ]);
  });

  it('never mails a customer whose consent update says unsubscribed', async () => {
    const shop = client();
    await shop.send('customers/create', customerText(bob, 'bob@example.com'));
    await shop.send('customers/create', customerText(alice, 'alice@example.com'));
    await shop.send('orders/create', oldOrder(bob, '820982911946154601'));
    await shop.send('orders/create', oldOrder(alice, '820982911946154602'));
    await sweep();
    const planned = await temp.store.db.all(sql`select customer_id from messages order by customer_id`);
    expect(planned).toEqual([{ customer_id: bob }, { customer_id: alice }]);

    const response = await shop.send(
      'customers_email_marketing_consent/update',
      fixtureText('customers-email-marketing-consent-update.json'),
    );
    expect(await response.json()).toMatchObject({ outcome: 'applied' });
    expect(await consent(bob)).toBe(0);

    const transport = createMemoryTransport();
    await drainOutbox(await deliveryOptions(temp.store, transport, { campaigns, now: () => now }));
    expect(transport.sent.map((mail) => mail.envelope.to)).toEqual(['alice@example.com']);
    const bobs = await temp.store.db.all(
      sql`select status, cancel_reason from messages where customer_id = ${bob}`,
    );
    expect(bobs).toEqual([{ status: 'cancelled', cancel_reason: 'consent_withdrawn' }]);
  });

  it('keeps the newer consent when a later customer update carries an older one', async () => {
    const shop = client();
    await shop.send('customers/create', fixtureText('customers-create.json'));
    await shop.send(
      'customers_email_marketing_consent/update',
      fixtureText('customers-email-marketing-consent-update.json'),
    );
    // A name change after the unsubscribe, its consent object still from before it.
    const renamed = withFields(fixtureText('customers-create.json'), {
      first_name: 'Robert',
      updated_at: '2026-11-22T18:00:00+00:00',
    });
    expect(await (await shop.send('customers/update', renamed)).json()).toMatchObject({ outcome: 'applied' });
    const [row] = await temp.store.db.all(sql`select first_name, marketing_consent from customers`);
    expect(row).toEqual({ first_name: 'Robert', marketing_consent: 0 });
  });

  it('answers a late retry of an older customer update as stale and keeps the newer state', async () => {
    const shop = client();
    const newer = withFields(fixtureText('customers-create.json'), {
      last_name: 'Newer',
      updated_at: '2026-11-21T09:00:00+00:00',
    });
    await shop.send('customers/update', newer);
    const response = await shop.send('customers/update', fixtureText('customers-create.json'));
    expect(await response.json()).toMatchObject({ outcome: 'stale' });
    const [row] = await temp.store.db.all(sql`select last_name from customers`);
    expect(row).toEqual({ last_name: 'Newer' });
  });

  it('withdraws the consent of a deleted customer and keeps the row', async () => {
    const shop = client();
    await shop.send('customers/create', fixtureText('customers-create.json'));
    await shop.send('customers/delete', fixtureText('customers-delete.json'));
    expect(await consent(bob)).toBe(0);
    expect(
      await (await shop.send('customers/update', fixtureText('customers-create.json'))).json(),
    ).toMatchObject({
      outcome: 'stale',
    });
  });
});
