// The demo's customers act through the product: what they do must leave the
// store exactly as the same acts over the API and the tracking routes would.
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { hashEmail } from '../../../src/core/email-hash.ts';
import { proxyOpenReason } from '../../../src/core/tracking/proxy-opens.ts';
import { maxOpensPerMessage } from '../../../src/db/repositories/tracking.ts';
import { trackingEvents } from '../../../src/db/schema/index.ts';
import { type Behaviour, simulateBehaviour } from '../../../src/demo/simulate.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';
import {
  customerRow,
  events,
  messageStatus,
  seedCustomer,
  seedMessage,
  suppressionHashes,
} from '../support/tracking-fixtures.ts';

const t0 = Date.parse('2026-10-01T09:00:00Z');
const day = 86_400_000;
const until = t0 + 14 * day;
const links = ['https://shop.example/p/1?utm_source=rekindle'];

/** Every chance zero: a test turns on only the acts it is about. */
const never: Behaviour = {
  delivered: 0,
  proxyOpen: 0,
  open: 0,
  clickGivenOpen: 0,
  unsubscribeGivenOpen: 0,
  complaint: 0,
  buyGivenClick: 0,
  buyGivenOpen: 0,
  buyUnopened: 0,
  useCouponGivenBuy: 0,
  heldOutBuy: 0,
};

let campaigns: CampaignSet;
let temp: TempStore;

beforeAll(async () => {
  const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
  if (!loaded.ok) throw new Error('the shipped campaigns do not validate');
  campaigns = loaded.set;
});
beforeEach(async () => {
  temp = await openTempStore();
  await seedCustomer(temp.store, 'c1', t0);
});
afterEach(() => temp.cleanup());

const simulate = (chances: Partial<Behaviour>) =>
  simulateBehaviour(temp.store, { until, campaigns, seed: 'demo-test', chances: { ...never, ...chances } });

describe('demo behaviour goes through the product', () => {
  it('an unsubscribing customer is suppressed by hash, loses consent and has pending mail cancelled', async () => {
    await seedMessage(temp.store, { id: 'm1', customerId: 'c1', email: 'c1@example.com', links, at: t0 });
    // A later step waiting in the outbox, due after the demo ends.
    await seedMessage(temp.store, {
      id: 'm2',
      customerId: 'c1',
      email: 'c1@example.com',
      status: 'scheduled',
      at: until + day,
    });
    const summary = await simulate({ delivered: 1, open: 1, unsubscribeGivenOpen: 1 });

    expect(summary.unsubscribes).toBe(1);
    const [unsubscribed] = (await events(temp.store, 'm1')).filter((e) => e.kind === 'unsubscribe');
    expect(unsubscribed).toBeDefined();
    expect(await suppressionHashes(temp.store)).toEqual([await hashEmail('c1@example.com')]);
    const customer = await customerRow(temp.store, 'c1');
    expect(customer).toMatchObject({
      suppression_reason: 'unsubscribed',
      // At the moment they clicked, not when the demo ends.
      suppressed_at: unsubscribed!.at,
      marketing_consent: 0,
      consent_updated_at: unsubscribed!.at,
    });
    expect(await messageStatus(temp.store, 'm2')).toEqual({
      status: 'cancelled',
      cancel_reason: 'unsubscribed',
    });
  });

  it("opens obey the pixel's cap and are flagged by the product's own proxy detection", async () => {
    await seedMessage(temp.store, { id: 'm1', customerId: 'c1', email: 'c1@example.com', links, at: t0 });
    await seedCustomer(temp.store, 'c2', t0);
    await seedMessage(temp.store, { id: 'm2', customerId: 'c2', email: 'c2@example.com', links, at: t0 });
    // m2 has had its cap of opens already (a pixel fetched in a loop).
    await temp.store.db.insert(trackingEvents).values(
      Array.from({ length: maxOpensPerMessage }, (_, i) => ({
        messageId: 'm2',
        kind: 'open' as const,
        at: t0 + 60_000 + i,
        isProxy: false,
      })),
    );
    await simulate({ delivered: 1, proxyOpen: 1, open: 1 });

    const opens = (await events(temp.store, 'm1')).filter((e) => e.kind === 'open');
    expect(opens.map((e) => e.is_proxy).sort()).toEqual([0, 1]);
    for (const open of opens) {
      const reason = proxyOpenReason({ userAgent: open.user_agent, ip: open.ip, at: open.at, sentAt: t0 });
      expect(Boolean(reason)).toBe(open.is_proxy === 1);
    }
    const [capped] = await temp.store.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM tracking_events WHERE message_id = 'm2' AND kind = 'open'`,
    );
    expect(capped!.n).toBe(maxOpensPerMessage);
  });

  it('a click counts only on a safe link the email held, as the redirect does', async () => {
    await seedMessage(temp.store, { id: 'm1', customerId: 'c1', email: 'c1@example.com', links, at: t0 });
    await seedCustomer(temp.store, 'c2', t0);
    await seedMessage(temp.store, {
      id: 'm2',
      customerId: 'c2',
      email: 'c2@example.com',
      links: ['javascript:alert(1)'],
      at: t0,
    });
    const summary = await simulate({ delivered: 1, open: 1, clickGivenOpen: 1 });

    expect((await events(temp.store, 'm1')).filter((e) => e.kind === 'click')).toHaveLength(1);
    expect((await events(temp.store, 'm2')).filter((e) => e.kind === 'click')).toEqual([]);
    expect(summary.clicks).toBe(1);
  });

  it('a complaint arrives as a provider event: the address is suppressed by hash and consent withdrawn', async () => {
    await seedMessage(temp.store, { id: 'm1', customerId: 'c1', email: 'c1@example.com', links, at: t0 });
    await simulate({ delivered: 1, complaint: 1 });

    const kinds = (await events(temp.store, 'm1')).map((e) => e.kind);
    expect(kinds).toEqual(['delivered', 'complaint']);
    expect(await suppressionHashes(temp.store)).toEqual([await hashEmail('c1@example.com')]);
    expect(await customerRow(temp.store, 'c1')).toMatchObject({
      suppression_reason: 'complained',
      marketing_consent: 0,
    });
  });
});
