// The small shop every fuzz run starts from, written through the same
// repositories and the same sweep the app uses, so the generators can name
// real customers, coupon codes, message ids and signed tokens. Runs on any
// Store: a libSQL file in Node, D1 in workerd.
import { eq, inArray } from 'drizzle-orm';
import { type ApiScope, apiScopes, hashApiKey } from '../../src/core/api-keys.ts';
import type { CampaignSet } from '../../src/core/campaigns/types.ts';
import { type IngestKind, ingestSchemas } from '../../src/core/ingest/records.ts';
import type { TokenSigner } from '../../src/core/tracking/tokens.ts';
import { createApiKey, revokeApiKey } from '../../src/db/repositories/api-keys.ts';
import { coupons, messages } from '../../src/db/schema/index.ts';
import type { Store } from '../../src/db/store.ts';
import { sessionTtlMs, signSession } from '../../src/http/pages/dashboard/session.ts';
import { ingestRecords } from '../../src/services/ingest/ingest-records.ts';
import { runSweep } from '../../src/services/sweep/run-sweep.ts';
import type { FuzzContext } from './fuzz-case.ts';

/** The clock of every fuzz run: fixed, so a counterexample replays the same way. */
export const fuzzNow = Date.parse('2026-11-23T12:00:00Z');
const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function put(store: Store, kind: IngestKind, rows: unknown[], at = fuzzNow) {
  const schema = ingestSchemas[kind];
  await ingestRecords({ store }, { kind, records: rows.map((row) => schema.parse(row)) as never[], now: at });
}

export async function seedFuzzStore(
  store: Store,
  campaigns: CampaignSet,
  signer: TokenSigner,
): Promise<FuzzContext> {
  const keys = {} as Record<ApiScope, string>;
  const keyIds = {} as Record<ApiScope, string>;
  for (const scope of apiScopes) {
    const key = await createApiKey(store, { name: `fuzz ${scope}`, scopes: [scope], now: fuzzNow - day });
    keys[scope] = key.secret;
    keyIds[scope] = key.id;
  }
  const revoked = await createApiKey(store, { name: 'fuzz revoked', scopes: ['admin'], now: fuzzNow - day });
  await revokeApiKey(store, revoked.id, fuzzNow - 1000);

  const customerIds = ['dormant-1', 'dormant-2', 'recent', 'carter', 'c1', '450789469123456789'];
  await put(
    store,
    'customers',
    customerIds.map((id) => ({
      id,
      email: `${id}@example.com`,
      first_name: 'Ada',
      marketing_consent: true,
      timezone: 'Europe/London',
    })),
  );
  await put(store, 'orders', [
    {
      id: 'o1',
      customer_id: 'dormant-1',
      placed_at: iso(fuzzNow - 120 * day),
      currency: 'GBP',
      total: '60.00',
    },
    {
      id: 'o2',
      customer_id: 'dormant-2',
      placed_at: iso(fuzzNow - 200 * day),
      currency: 'GBP',
      total: '45.50',
    },
    { id: 'o3', customer_id: 'recent', placed_at: iso(fuzzNow - 3 * day), currency: 'GBP', total: '12.00' },
  ]);
  await put(store, 'carts', [
    {
      id: 'cart-1',
      customer_id: 'carter',
      email: 'carter@example.com',
      currency: 'GBP',
      last_activity_at: iso(fuzzNow - 2 * 3_600_000),
      recovery_url: 'https://shop.example/cart/recover/abc',
      items: [{ product_id: 'p1', title: 'Mug', quantity: 2, unit_price: '12.50' }],
    },
  ]);
  // Out of stock first, then back: a restock for the back-in-stock campaign.
  const product = { id: 'p1', title: 'Mug', currency: 'GBP', price: '12.50', url: 'https://shop.example/p1' };
  await put(store, 'products', [{ ...product, stock: 0 }], fuzzNow - 2 * day);
  await put(
    store,
    'waitlist',
    [{ product_id: 'p1', email: 'c1@example.com', customer_id: 'c1' }],
    fuzzNow - 2 * day,
  );
  await put(store, 'products', [
    { ...product, stock: 5 },
    { id: 'p2', title: 'Tea', currency: 'GBP', price: 4, in_stock: false },
  ]);

  await runSweep({ store, campaigns, now: fuzzNow, dryRun: false });
  const planned = await store.db
    .select({ id: messages.id })
    .from(messages)
    .where(eq(messages.status, 'scheduled'))
    .orderBy(messages.id);
  if (planned.length === 0) throw new Error('the fuzz seed sweep planned no messages');
  // Delivered, as the delivery loop leaves them: links to click and a provider id.
  const sentIds = planned.slice(0, 3).map((m) => m.id);
  for (const id of sentIds) {
    await store.db
      .update(messages)
      .set({
        status: 'sent',
        sentAt: fuzzNow - 3_600_000,
        links: JSON.stringify(['https://shop.example/a', 'https://shop.example/b?x=1']),
        providerMessageId: `provider-${id}`,
        updatedAt: fuzzNow - 3_600_000,
      })
      .where(eq(messages.id, id));
  }
  const tokens: FuzzContext['tokens'] = { open: [], click: [], unsubscribe: [] };
  for (const messageId of [...sentIds, planned[planned.length - 1]!.id]) {
    tokens.open.push(await signer.sign({ purpose: 'open', messageId }));
    tokens.unsubscribe.push(await signer.sign({ purpose: 'unsubscribe', messageId }));
    for (const linkIndex of [0, 1, 2])
      tokens.click.push(await signer.sign({ purpose: 'click', messageId, linkIndex }));
  }
  tokens.open.push(await signer.sign({ purpose: 'open', messageId: 'no-such-message' }));

  const issued = await store.db
    .select({ code: coupons.code })
    .from(coupons)
    .where(
      inArray(
        coupons.campaignId,
        campaigns.campaigns.map((c) => c.id),
      ),
    );
  const session = await signSession(keyIds.reports, await hashApiKey(keys.reports), fuzzNow + sessionTtlMs);
  return {
    keys,
    revokedKey: revoked.secret,
    session,
    tokens,
    couponCodes: issued.length > 0 ? issued.map((c) => c.code) : ['NO-COUPONS-ISSUED'],
    messageRefs: [...sentIds, ...sentIds.map((id) => `provider-${id}`), 'unknown-message'],
    customerIds,
    campaignIds: campaigns.campaigns.map((c) => c.id),
  };
}
