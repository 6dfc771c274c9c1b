// No stacked offers (issue 11, finding 3), on a real libSQL file: the shop-wide
// offer rule (settings `offers`) and a campaign's exclude_if_messaged_by, for
// each trigger, with the sweep's counts and --explain naming the rule.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepCommand } from '../../../src/cli/sweep.ts';
import type { Campaign, Offer, OfferRule, ShopSettings } from '../../../src/core/campaigns/types.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { issueCoupons } from '../../../src/db/repositories/coupons.ts';
import { writeMessages } from '../../../src/db/repositories/messages.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { explainSweep } from '../../../src/services/sweep/explain-sweep.ts';
import { newMessageId } from '../../../src/services/sweep/message-id.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../support/campaign-fixtures.ts';
import { captureCli } from '../support/cli.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.parse('2026-11-23T12:00:00Z');
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

const vipOffer: Offer = { ...winbackOffer, kind: 'percent_off', percent: 20, codePrefix: 'VIP' };
const withOffer = (offer: Offer | null) => [
  { index: 0, delayHours: 0, email: { template: 'winback.mjml', subject: 'Hi' }, offer },
];
const winback = dormantCampaign({ steps: withOffer(winbackOffer) });
const vip = dormantCampaign({ id: 'winback-vip', priority: 60, steps: withOffer(vipOffer) });

const settings = (offers: Partial<OfferRule> = {}, extra: Partial<ShopSettings> = {}) =>
  shopSettings({
    frequencyCap: { maxMessages: 10, perDays: 1 },
    offers: { minDaysBetweenCoupons: null, whileUnredeemed: false, ...offers },
    ...extra,
  });

async function ingest(
  kind: 'customers' | 'orders' | 'carts' | 'products' | 'waitlist',
  record: unknown,
  at = now,
) {
  const parsed = ingestSchemas[kind].parse(record);
  await ingestRecords({ store: temp.store }, { kind, records: [parsed], now: at } as never);
}

async function customer(id: string, lastOrderDaysAgo?: number) {
  await ingest('customers', { id, email: `${id}@example.com`, marketing_consent: true });
  if (lastOrderDaysAgo !== undefined) {
    const placed = new Date(now - lastOrderDaysAgo * day).toISOString();
    await ingest('orders', {
      id: `o-${id}`,
      customer_id: id,
      placed_at: placed,
      status: 'paid',
      currency: 'GBP',
      total: '50.00',
    });
  }
}

function sweep(
  campaigns: Campaign[],
  shop: ShopSettings,
  options: { at?: number; dryRun?: boolean; explain?: string } = {},
) {
  return runSweep({
    store: temp.store,
    campaigns: { settings: shop, campaigns },
    now: options.at ?? now,
    dryRun: options.dryRun ?? true,
    explainCustomer: options.explain,
    pageSize: 2,
  });
}

/** The outbox sent what was due: what a real send would leave behind. */
async function markSent() {
  await temp.store.db.run(
    sql`update messages set status = 'sent', sent_at = due_at where status = 'scheduled' and due_at <= ${now}`,
  );
}

/**
 * A message another campaign wrote earlier, with its coupon when its step has
 * an offer, through the repositories a sweep writes with.
 */
async function earlier(
  campaign: Campaign,
  to: { customerId: string | null; email: string },
  dueAt: number,
  status = 'sent',
): Promise<string | null> {
  const row = {
    id: newMessageId(dueAt),
    dedupeKey: `${campaign.id}:0:${to.customerId ?? to.email}:test${dueAt}`,
    campaignId: campaign.id,
    step: 0,
    customerId: to.customerId,
    email: to.email,
    triggerKind: campaign.trigger.type,
    triggerRef: `test${dueAt}`,
    status: 'scheduled' as const,
    dueAt,
    createdAt: dueAt,
    updatedAt: dueAt,
  };
  const { rows, statements } = issueCoupons(temp.store, { campaign, currency: 'GBP', now: dueAt }, [row]);
  await writeMessages(temp.store, rows, statements);
  await temp.store.db.run(sql`update messages set status = ${status} where id = ${row.id}`);
  return rows[0]?.couponCode ?? null;
}

/** What `sweep --explain` says about one campaign for the customer, as the CLI builds it. */
async function summary(
  result: Awaited<ReturnType<typeof sweep>>,
  set: { campaigns: Campaign[]; settings: ShopSettings },
  customerId: string,
  campaignId: string,
) {
  const explained = await explainSweep(temp.store, set, result, customerId);
  return explained.campaigns.find((c) => c.campaign_id === campaignId);
}

describe('the offer rule: min_days_between_coupons', () => {
  it("the finding: win-back's 15% three weeks ago, then a VIP campaign's 20% is not sent", async () => {
    await customer('a', 150);
    await customer('b', 150);
    await customer('c', 100); // not dormant yet three weeks ago: no win-back coupon
    const past = now - 21 * day;
    await sweep([winback], settings(), { at: past, dryRun: false });
    await markSent();

    const rule = settings({ minDaysBetweenCoupons: 30 });
    const result = await sweep([vip, winback], rule);
    expect(result.campaigns.find((c) => c.campaignId === 'winback-vip')).toMatchObject({
      eligible: 3,
      excluded: { offer_rule: 2 },
      scheduled: 1,
    });
    const explained = await sweep([vip, winback], rule, { explain: 'a' });
    expect(
      await summary(explained, { campaigns: [vip, winback], settings: rule }, 'a', 'winback-vip'),
    ).toEqual({
      campaign_id: 'winback-vip',
      outcome: 'excluded',
      summary: expect.stringMatching(
        /^excluded by offer_rule \(step 1, last purchase [\d-]+, 150 days ago\): sent a coupon by winback 21 days ago \(settings offers\.min_days_between_coupons is 30\)\. Facts: /,
      ),
    });
    const let_through = await sweep([vip, winback], rule, { explain: 'c' });
    expect(
      (await summary(let_through, { campaigns: [vip, winback], settings: rule }, 'c', 'winback-vip'))
        ?.summary,
    ).toMatch(/^scheduled .*Facts: .*; no other coupon-carrying message in the last 30 days; /);
    // Without the rule the VIP offer would stack; with 21 days it is far enough.
    expect((await sweep([vip], settings())).campaigns[0]).toMatchObject({ scheduled: 3 });
    expect((await sweep([vip], settings({ minDaysBetweenCoupons: 21 }))).campaigns[0]).toMatchObject({
      scheduled: 3,
    });
  });

  it('judges only messages that carry an offer, and counts only coupon-carrying, live messages', async () => {
    await customer('a', 150);
    await customer('b', 150);
    await customer('c', 150);
    const rule = settings({ minDaysBetweenCoupons: 30 });
    await earlier(winback, { customerId: 'a', email: 'a@example.com' }, now - 5 * day);
    await earlier(
      dormantCampaign({ id: 'newsletter' }),
      { customerId: 'b', email: 'b@example.com' },
      now - day,
    );
    await earlier(winback, { customerId: 'c', email: 'c@example.com' }, now - 5 * day, 'cancelled');

    const plainVip = { ...vip, steps: withOffer(null) };
    expect((await sweep([plainVip], rule)).campaigns[0]).toMatchObject({ scheduled: 3 });
    const result = await sweep([vip], rule);
    expect(result.campaigns[0]).toMatchObject({ excluded: { offer_rule: 1 }, scheduled: 2 });
    expect(result.explanations).toEqual([]);
    const why = await sweep([vip], rule, { explain: 'a' });
    expect((await summary(why, { campaigns: [vip], settings: rule }, 'a', 'winback-vip'))?.summary).toContain(
      'sent a coupon by winback 5 days ago',
    );
  });
});

describe('the offer rule: while_unredeemed', () => {
  const longOffer: Offer = { ...winbackOffer, expiresAfterDays: 90, minSubtotal: null };
  const longWinback = dormantCampaign({ steps: withOffer(longOffer) });
  const cart: Campaign = {
    ...dormantCampaign({ id: 'cart', priority: 80, cooldownDays: 0 }),
    trigger: { type: 'abandoned_cart', minCartValue: null },
    steps: [
      { index: 0, delayHours: 1, email: { template: 'cart-1.mjml', subject: 'Your cart' }, offer: null },
      {
        index: 1,
        delayHours: 24,
        email: { template: 'cart-2.mjml', subject: '10% off' },
        offer: {
          ...winbackOffer,
          kind: 'percent_off',
          percent: 10,
          minSubtotal: null,
          expiresAfterDays: 3,
          codePrefix: 'CART',
        },
      },
    ],
  };

  async function leftCart(customerId: string, hoursAgo: number) {
    await ingest('carts', {
      id: `cart-${customerId}`,
      customer_id: customerId,
      currency: 'GBP',
      last_activity_at: new Date(now - hoursAgo * hour).toISOString(),
      items: [{ product_id: 'p1', quantity: 1, unit_price: '30.00' }],
    });
  }

  it('an unredeemed coupon blocks the next one however old; a redeemed or expired one does not', async () => {
    for (const id of ['kept', 'used', 'lapsed']) await customer(id);
    const to = (id: string) => ({ customerId: id, email: `${id}@example.com` });
    const kept = await earlier(longWinback, to('kept'), now - 60 * day);
    const used = await earlier(longWinback, to('used'), now - 60 * day);
    await earlier(winback, to('lapsed'), now - 60 * day); // 14 days: expired
    expect(kept).not.toBeNull();
    // The customer spends it, as the shop's order feed reports it.
    await ingest('orders', {
      id: 'spent',
      customer_id: 'used',
      placed_at: new Date(now - 50 * day).toISOString(),
      status: 'paid',
      currency: 'GBP',
      total: '45.00',
      discount_codes: [used],
    });
    expect(await temp.store.db.all(sql`select coupon_code from redemptions`)).toEqual([
      { coupon_code: used },
    ]);
    for (const id of ['kept', 'used', 'lapsed']) await leftCart(id, 25);

    const rule = settings({ whileUnredeemed: true });
    const result = await sweep([cart], rule);
    expect(result.campaigns[0]).toMatchObject({ eligible: 3, excluded: { offer_rule: 1 }, scheduled: 2 });
    const why = await sweep([cart], rule, { explain: 'kept' });
    expect((await summary(why, { campaigns: [cart], settings: rule }, 'kept', 'cart'))?.summary).toMatch(
      /^excluded by offer_rule \(step 2, cart cart-kept left .*\): holds an unused coupon from winback, valid until 2026-12-23 \(settings offers\.while_unredeemed is true\)\. Facts: /,
    );
    // The cart's first step carries no offer: the rule lets it through.
    await leftCart('kept', 2);
    expect((await sweep([cart], rule)).campaigns[0]).toMatchObject({ scheduled: 3 });
  });

  it("a cart series' later coupon step is not blocked by its own earlier coupon", async () => {
    await customer('a');
    const third = {
      index: 2,
      delayHours: 72,
      email: { template: 'cart-3.mjml', subject: 'Free shipping' },
      offer: {
        ...winbackOffer,
        kind: 'free_shipping' as const,
        minSubtotal: null,
        expiresAfterDays: 7,
        codePrefix: 'SHIP',
      },
    };
    const series = { ...cart, steps: [...cart.steps, third] };
    const rule = settings({ minDaysBetweenCoupons: 30, whileUnredeemed: true });
    const start = now - 73 * hour;
    await ingest(
      'carts',
      {
        id: 'cart-a',
        customer_id: 'a',
        currency: 'GBP',
        last_activity_at: new Date(start).toISOString(),
        items: [{ product_id: 'p1', quantity: 1, unit_price: '30.00' }],
      },
      start,
    );
    for (const at of [start + 2 * hour, start + 25 * hour]) {
      await sweep([series], rule, { at, dryRun: false });
      await markSent();
    }
    const steps = await temp.store.db.all<{ step: number; coupon: string | null }>(
      sql`select step, coupon_code as coupon from messages order by step`,
    );
    expect(steps.map((s) => [s.step, s.coupon !== null])).toEqual([
      [0, false],
      [1, true],
    ]);
    const last = await sweep([series], rule, { dryRun: false });
    expect(last.campaigns[0]).toMatchObject({ eligible: 1, scheduled: 1 });

    // Another campaign's coupon is another conversation: it does block the step.
    await customer('b');
    await ingest('carts', {
      id: 'cart-b',
      customer_id: 'b',
      currency: 'GBP',
      last_activity_at: new Date(now - 73 * hour).toISOString(),
      items: [{ product_id: 'p1', quantity: 1, unit_price: '30.00' }],
    });
    await earlier(winback, { customerId: 'b', email: 'b@example.com' }, now - 40 * day);
    await earlier(longWinback, { customerId: 'b', email: 'b@example.com' }, now - 40 * day + 1);
    const other = await sweep([series], rule);
    expect(other.campaigns[0]).toMatchObject({ eligible: 1, excluded: { offer_rule: 1 } });
  });
});

describe('the offer rule on back-in-stock, for an address without a customer', () => {
  it("a guest's earlier coupon, found by address, blocks a coupon on the restock mail", async () => {
    const stock = (n: number) =>
      ingest('products', { id: 'p1', title: 'Blue mug', currency: 'GBP', price: '12.00', stock: n });
    await stock(0);
    for (const email of ['guest@example.com', 'other@example.com']) {
      await ingest('waitlist', { product_id: 'p1', email, created_at: new Date(now - day).toISOString() });
    }
    await stock(5);
    const bis: Campaign = {
      ...dormantCampaign({ id: 'back-in-stock', priority: 90, cooldownDays: 0, consent: 'shop_policy' }),
      trigger: { type: 'back_in_stock', includeCarts: false, allocation: { mode: 'all' } },
      steps: withOffer({ ...winbackOffer, bindToCustomer: false, codePrefix: 'MUG' }),
    };
    await earlier(winback, { customerId: null, email: 'guest@example.com' }, now - 3 * day);
    const rule = settings(
      { minDaysBetweenCoupons: 30 },
      { consent: { nonSubscribersMayReceive: ['back_in_stock'] } },
    );
    const result = await sweep([bis], rule);
    expect(result.campaigns[0]).toMatchObject({ eligible: 2, excluded: { offer_rule: 1 }, scheduled: 1 });
  });
});

describe('exclude_if_messaged_by', () => {
  const excluding = (campaign: Campaign): Campaign => ({
    ...campaign,
    excludeIfMessagedBy: { campaigns: ['winback'], withinDays: 30 },
  });

  it('leaves out customers the named campaign messaged inside the window, not outside it', async () => {
    const ids = ['inside', 'outside', 'held', 'elsewhere', 'ahead'];
    for (const id of ids) await customer(id, 150);
    const to = (id: string) => ({ customerId: id, email: `${id}@example.com` });
    await earlier(winback, to('inside'), now - 12 * day);
    await earlier(winback, to('outside'), now - 31 * day);
    await earlier(winback, to('held'), now - 2 * day, 'held_out');
    await earlier(dormantCampaign({ id: 'newsletter' }), to('elsewhere'), now - 2 * day);
    await earlier(winback, to('ahead'), now + day, 'scheduled');

    const plainVip = excluding({ ...vip, steps: withOffer(null) });
    const result = await sweep([plainVip], settings());
    expect(result.campaigns[0]).toMatchObject({ eligible: 5, excluded: { messaged_by: 2 }, scheduled: 3 });
    const why = await sweep([plainVip], settings(), { explain: 'inside' });
    expect(
      (await summary(why, { campaigns: [plainVip], settings: settings() }, 'inside', 'winback-vip'))?.summary,
    ).toMatch(
      /^excluded by messaged_by \(step 1, .*\): messaged by winback 12 days ago \(exclude_if_messaged_by within 30 days\)\. Facts: /,
    );
    const ahead = await sweep([plainVip], settings(), { explain: 'ahead' });
    expect(
      (await summary(ahead, { campaigns: [plainVip], settings: settings() }, 'ahead', 'winback-vip'))
        ?.summary,
    ).toContain('a message from winback is scheduled for 2026-11-24');
    // The same customers without the rule: all five.
    expect(
      (await sweep([{ ...plainVip, excludeIfMessagedBy: null }], settings())).campaigns[0],
    ).toMatchObject({
      scheduled: 5,
    });
  });

  it('applies to cart and back-in-stock campaigns too', async () => {
    await customer('a');
    await customer('b');
    await earlier(winback, { customerId: 'a', email: 'a@example.com' }, now - 3 * day);
    for (const id of ['a', 'b']) {
      await ingest('carts', {
        id: `cart-${id}`,
        customer_id: id,
        currency: 'GBP',
        last_activity_at: new Date(now - 2 * hour).toISOString(),
        items: [{ product_id: 'p1', quantity: 1, unit_price: '30.00' }],
      });
    }
    await ingest('products', { id: 'p2', title: 'Teapot', currency: 'GBP', price: '20.00', stock: 0 });
    for (const id of ['a', 'b']) {
      await ingest('waitlist', {
        product_id: 'p2',
        customer_id: id,
        email: `${id}@example.com`,
        created_at: new Date(now - day).toISOString(),
      });
    }
    await ingest('products', { id: 'p2', title: 'Teapot', currency: 'GBP', price: '20.00', stock: 5 });
    const cart = excluding({
      ...dormantCampaign({ id: 'cart', cooldownDays: 0 }),
      trigger: { type: 'abandoned_cart', minCartValue: null },
      steps: [{ index: 0, delayHours: 1, email: { template: 'cart-1.mjml', subject: 'Cart' }, offer: null }],
    });
    const bis = excluding({
      ...dormantCampaign({ id: 'stock', cooldownDays: 0 }),
      trigger: { type: 'back_in_stock', includeCarts: false, allocation: { mode: 'all' } },
    });
    // Separate sweeps: in one, the first campaign to take b would keep the other from it.
    for (const campaign of [cart, bis]) {
      expect((await sweep([campaign], settings())).campaigns[0]).toMatchObject({
        eligible: 2,
        excluded: { messaged_by: 1 },
        scheduled: 1,
      });
    }
  });
});

describe('rekindle sweep --dry-run --explain with the shipped campaigns and settings', () => {
  it('names the offer rule and its facts for a customer win-back gave a coupon three weeks ago', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rekindle-offers-'));
    try {
      await cp('campaigns', dir, { recursive: true });
      // No control group, so the win-back coupon surely went out.
      const winbackFile = join(dir, 'winback.yaml');
      await writeFile(
        winbackFile,
        (await readFile(winbackFile, 'utf8')).replace('holdout_percent: 10', 'holdout_percent: 0'),
      );
      // The shipped settings carry the offer rule; this test holds them to it.
      expect(await readFile(join(dir, 'settings.yaml'), 'utf8')).toMatch(
        /^offers: \{ min_days_between_coupons: 30, while_unredeemed: true \}$/m,
      );
      const vipFile = (await readFile(winbackFile, 'utf8'))
        .replace('name: We miss you', 'name: VIP')
        .replace('priority: 50', 'priority: 60')
        .replace('value: 15', 'value: 20')
        .replace('code_prefix: BACK', 'code_prefix: VIP');
      await writeFile(join(dir, 'winback-vip.yaml'), vipFile);
      await customer('a', 150);

      const run = async (args: string[], at: number) => {
        const cli = captureCli({ DATABASE_URL: temp.url, CAMPAIGNS_DIR: dir }, at);
        const code = await sweepCommand(args, cli.io);
        return { code, stdout: cli.out.join(''), stderr: cli.err.join('') };
      };
      // Three weeks ago only win-back existed.
      await writeFile(
        join(dir, 'winback-vip.yaml'),
        vipFile.replace('name: VIP', 'name: VIP\nenabled: false'),
      );
      expect((await run([], now - 21 * day)).code).toBe(0);
      await markSent();
      await writeFile(join(dir, 'winback-vip.yaml'), vipFile);

      const explained = await run(['--dry-run', '--explain', 'a'], now);
      expect(explained.code).toBe(0);
      expect(explained.stdout).toMatch(
        /^ {2}winback-vip: excluded by offer_rule \(step 1, last purchase [\d-]+, 150 days ago\): sent a coupon by winback 21 days ago \(settings offers\.min_days_between_coupons is 30\)\. Facts: .*; sent a coupon by winback 21 days ago; holds no unused coupon; /m,
      );
      const table = await run(['--dry-run'], now);
      expect(table.stdout).toMatch(/^winback-vip\s+1\s+0\s+0\s+0\s+0\s+0\s+0\s+0\s+1\s/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
