// The shop-wide offer rule against stacked offers (issue 11, finding 3;
// settings `offers`), on a real libSQL file, for each trigger: the sweep's
// counts, and --explain naming the rule and its facts, through the CLI too.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepCommand } from '../../../src/cli/sweep.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import type { Campaign, Offer } from '../../../src/core/campaigns/types.ts';
import { dormantCampaign, winbackOffer } from '../support/campaign-fixtures.ts';
import { captureCli } from '../support/cli.ts';
import {
  day,
  hour,
  now,
  offerShop,
  settings,
  vip,
  winback,
  withOffer,
} from '../support/offer-history-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());
const { ingest, customer, leftCart, sweep, markSent, earlier, summary } = offerShop(() => temp.store);

describe('the offer rule: min_days_between_coupons', () => {
  it("the finding: win-back's 15% three weeks ago, then a VIP campaign's 20% is not sent", async () => {
    await customer('a', 150);
    await customer('b', 150);
    await customer('c', 100); // not dormant yet three weeks ago: no win-back coupon
    const past = now - 21 * day;
    await sweep([winback], settings(), { at: past, dryRun: false });
    await markSent([winback]);

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
    ).toMatch(
      /^excluded by offer_rule \(step 1, last purchase [\d-]+, 150 days ago\): sent a coupon by winback 21 days ago \(settings offers\.min_days_between_coupons is 30\)\. Facts: /,
    );
    const letThrough = await sweep([vip, winback], rule, { explain: 'c' });
    expect(
      await summary(letThrough, { campaigns: [vip, winback], settings: rule }, 'c', 'winback-vip'),
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
    expect(await summary(why, { campaigns: [vip], settings: rule }, 'a', 'winback-vip')).toContain(
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
    expect(await summary(why, { campaigns: [cart], settings: rule }, 'kept', 'cart')).toMatch(
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
      await markSent([series]);
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
      const shipped = await loadCampaigns({ dir, emailsDir: 'emails' });
      if (!shipped.ok) throw new Error('the copied campaigns do not validate');
      await markSent(shipped.set.campaigns);
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
