// One definition of what each trigger's emails get (core/rendering/
// view-schema.ts), and the views agree with it: the sample view (previews,
// `rekindle validate`) and the delivery's view builder, for sends and for
// previews, on a real libSQL file, each fill exactly the parts and fields the
// schema gives their trigger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { type TriggerType, triggerTypes } from '../../../src/core/campaigns/trigger-block.ts';
import type { Campaign, CampaignSet } from '../../../src/core/campaigns/types.ts';
import type { EmailView } from '../../../src/core/rendering/contract.ts';
import { sampleView } from '../../../src/core/rendering/sample-view.ts';
import { emailViewShape, triggerViewParts, viewMismatches } from '../../../src/core/rendering/view-schema.ts';
import * as schema from '../../../src/db/schema/index.ts';
import { createViewBuilder } from '../../../src/services/render/build-view.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
let set: CampaignSet;
let temp: TempStore;

/** The shipped campaign of each trigger, and the index of a step of it that carries an offer. */
function shipped(trigger: TriggerType): { campaign: Campaign; step: number } {
  const campaign = set.campaigns.find((c) => c.trigger.type === trigger);
  if (!campaign) throw new Error(`no shipped ${trigger} campaign`);
  const step = campaign.steps.find((s) => s.offer)?.index ?? 0;
  return { campaign, step };
}

/** The parts that are not null, in the schema's order. */
function filledParts(view: EmailView): string[] {
  return Object.keys(emailViewShape.fields).filter((part) => view[part as keyof EmailView] !== null);
}

/** The parts the schema gives `trigger`, in its order; offer only for a message that carries one. */
function providedParts(trigger: TriggerType, withOffer: boolean): string[] {
  return Object.keys(emailViewShape.fields).filter(
    (part) => triggerViewParts[trigger].includes(part as never) && (withOffer || part !== 'offer'),
  );
}

beforeAll(async () => {
  const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  set = loaded.set;

  temp = await openTempStore();
  const db = temp.store.db;
  await db.insert(schema.customers).values({
    id: 'c1',
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'L',
    timezone: 'Europe/London',
    marketingConsent: true,
    createdAt: now,
    updatedAt: now,
  });
  const product = (id: string) => ({
    id,
    title: `Product ${id}`,
    url: `https://shop.example/p/${id}`,
    imageUrl: `https://cdn.example/${id}.jpg`,
    category: 'kitchen',
    currency: 'GBP',
    priceMinor: 1200,
    stockQuantity: 5,
    inStock: true,
    updatedAt: now,
  });
  await db.insert(schema.products).values([product('mug'), product('bowl'), product('hat')]);
  await db.insert(schema.carts).values({
    id: 'k1',
    customerId: 'c1',
    email: 'ada@example.com',
    status: 'open',
    currency: 'GBP',
    valueMinor: 1200,
    recoveryUrl: 'https://shop.example/cart/recover/k1',
    lastActivityAt: now - 7_200_000,
    createdAt: now,
    updatedAt: now,
  });
  await db
    .insert(schema.cartItems)
    .values([{ cartId: 'k1', lineNo: 0, productId: 'bowl', title: null, quantity: 1, unitPriceMinor: 1200 }]);
  await db.insert(schema.restocks).values({ id: 3, productId: 'hat', quantity: 2, at: now });
  await db.insert(schema.priceDrops).values({
    id: 4,
    productId: 'mug',
    currency: 'GBP',
    fromMinor: 1600,
    toMinor: 1200,
    at: now - 3_600_000,
  });
  await db.insert(schema.coupons).values({
    code: 'X-1',
    campaignId: 'winback',
    customerId: 'c1',
    kind: 'percent_off',
    value: 15,
    currency: 'GBP',
    minSubtotalMinor: 4000,
    expiresAt: now + 14 * 86_400_000,
    createdAt: now,
  });
});
afterAll(() => temp.cleanup());

const triggerRefs: Record<TriggerType, string> = {
  dormant: 'dormant',
  abandoned_cart: `cartk1@${now - 7_200_000}`,
  back_in_stock: 'restock3',
  browse_abandonment: `viewmug@${now - 7_200_000}`,
  price_drop: 'drop4',
  audience: `send${now - 3_600_000}`,
  new_arrivals: `new${now - 86_400_000}["mug"]`,
  replenishment: `refillmug@${now - 30 * 86_400_000}`,
};

describe('what each trigger provides', () => {
  it('is defined for every trigger, and the shipped campaigns cover every trigger', () => {
    expect(Object.keys(triggerViewParts).sort()).toEqual([...triggerTypes].sort());
    for (const trigger of triggerTypes) expect(shipped(trigger).campaign.trigger.type).toBe(trigger);
  });

  it.each(triggerTypes)('the sample view of a %s step has exactly the schema parts and fields', (trigger) => {
    const { campaign, step } = shipped(trigger);
    const view = sampleView(campaign, set.settings, { step, now });
    expect(viewMismatches(view, trigger)).toEqual([]);
    expect(filledParts(view)).toEqual(providedParts(trigger, campaign.steps[step]!.offer !== null));
  });

  it.each(triggerTypes)('the view builder agrees for a %s send and preview', async (trigger) => {
    const { campaign, step } = shipped(trigger);
    const builder = createViewBuilder({ store: temp.store, campaigns: set });
    const sent = await builder.forMessage(
      {
        campaignId: campaign.id,
        step,
        customerId: 'c1',
        email: 'ada@example.com',
        triggerKind: trigger,
        triggerRef: triggerRefs[trigger],
        couponCode: 'X-1',
      },
      { unsubscribe: 'https://m.example/u/t' },
    );
    const preview = await builder.forPreview({
      campaign,
      step,
      customerId: 'c1',
      now,
      unsubscribeUrl: '#u',
    });
    if (!preview) throw new Error('expected a preview of a known customer');
    // The send carries coupon X-1; a preview shows a sample coupon only for a step with an offer.
    expect(viewMismatches(sent, trigger)).toEqual([]);
    expect(filledParts(sent)).toEqual(providedParts(trigger, true));
    expect(viewMismatches(preview, trigger)).toEqual([]);
    expect(filledParts(preview)).toEqual(providedParts(trigger, campaign.steps[step]!.offer !== null));
  });

  it('names what differs when a view does not match', () => {
    const { campaign } = shipped('dormant');
    const view = sampleView(campaign, set.settings, { now });
    const wrong = {
      ...view,
      product: view.recommended[0]!,
      customer: { ...view.customer, nickname: 'x' },
    } as unknown as EmailView;
    expect(viewMismatches(wrong, 'dormant')).toEqual([
      'customer.nickname is not in the view schema',
      'product is set, but dormant emails do not get it',
    ]);
  });
});
