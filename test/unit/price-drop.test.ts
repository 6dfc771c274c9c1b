// The price-drop rule at its boundaries (the percent in integers, max_hours
// and the interest window to the millisecond), the interest it picks, the
// recheck's price and stock cases, the ref format, the view's figures and
// the trigger block's checks.
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/core/campaigns/campaign.ts';
import { recheck } from '../../src/core/delivery/recheck.ts';
import { priceDropView } from '../../src/core/rendering/price-drop-view.ts';
import {
  fellEnough,
  latestInterest,
  matchPriceDrop,
  type PriceDropFacts,
  percentFall,
} from '../../src/core/triggers/price-drop.ts';
import { describeInstance, parsePriceDropRef, priceDropRef } from '../../src/core/triggers/trigger-ref.ts';
import { priceDropCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.parse('2026-12-07T12:00:00Z');
const trigger = { minPercent: 10, days: 30, maxHours: 72 };
const dropAt = now - 5 * hour;
const facts = (overrides: Partial<PriceDropFacts> = {}): PriceDropFacts => ({
  drop: { id: 7, productId: 'mug', currency: 'GBP', fromMinor: 2000, toMinor: 1500, at: dropAt },
  interests: [{ kind: 'viewed', at: dropAt - 2 * day }],
  lastBoughtAt: null,
  product: { inStock: true, currency: 'GBP', priceMinor: 1500 },
  ...overrides,
});
const reason = (f: PriceDropFacts, at = now) => {
  const outcome = matchPriceDrop(trigger, f, at);
  return outcome.match ? 'fired' : outcome.reason;
};

describe('matchPriceDrop', () => {
  it('fires once per drop, due when it happened', () => {
    expect(matchPriceDrop(trigger, facts(), now)).toEqual({
      match: true,
      instance: 'drop7',
      dueAt: dropAt,
      interest: { kind: 'viewed', at: dropAt - 2 * day },
    });
  });

  it('tests the fall exactly in whole numbers: 10% of 999 is 99.9', () => {
    const drop = (fromMinor: number, toMinor: number) =>
      facts({
        drop: { ...facts().drop, fromMinor, toMinor },
        product: { inStock: true, currency: 'GBP', priceMinor: toMinor },
      });
    expect(reason(drop(1000, 900))).toBe('fired');
    expect(reason(drop(1000, 901))).toContain('less than min_percent 10');
    // 99 off 999 is 9.9%, 100 off is 10.01%.
    expect(reason(drop(999, 900))).toBe(
      'product mug fell 9% (£9.99 to £9.00) at 2026-12-07 07:00 UTC: less than min_percent 10',
    );
    expect(reason(drop(999, 899))).toBe('fired');
    expect(fellEnough(3, 2, 33)).toBe(true);
    expect(fellEnough(3, 2, 34)).toBe(false);
    expect(percentFall(999, 899)).toBe(10);
    expect(percentFall(3, 2)).toBe(33);
  });

  it('fires up to exactly max_hours after the drop, and never for a drop after now', () => {
    expect(reason(facts(), dropAt + 72 * hour)).toBe('fired');
    expect(reason(facts(), dropAt + 72 * hour + 1)).toContain('more than max_hours 72 ago');
    expect(reason(facts(), dropAt)).toBe('fired');
    expect(reason(facts(), dropAt - 1)).toContain("after the sweep's now");
  });

  it('counts an interest from exactly `days` before the drop up to the drop itself', () => {
    const at = (...times: number[]) => facts({ interests: times.map((t) => ({ kind: 'carted', at: t })) });
    expect(reason(at(dropAt - 30 * day))).toBe('fired');
    expect(reason(at(dropAt))).toBe('fired');
    expect(reason(at(dropAt - 30 * day - 1))).toContain(
      'not viewed, carted or waitlisted in the 30 days before it',
    );
    // A look after the drop saw the new price: it is no reason to tell them.
    expect(reason(at(dropAt + 1))).toContain('not viewed, carted or waitlisted');
    expect(reason(at())).toContain('not viewed, carted or waitlisted');
  });

  it('does not fire once they bought it at or after the interest', () => {
    const interest = dropAt - 2 * day;
    expect(reason(facts({ lastBoughtAt: interest - 1 }))).toBe('fired');
    expect(reason(facts({ lastBoughtAt: interest }))).toContain('bought since it was viewed');
    expect(reason(facts({ lastBoughtAt: now }))).toContain('bought since');
  });

  it('needs the product in stock at the dropped price or less, in the drop currency', () => {
    const product = (inStock: boolean, priceMinor: number, currency = 'GBP') =>
      facts({ product: { inStock, currency, priceMinor } });
    expect(reason(product(true, 1400))).toBe('fired');
    expect(reason(product(true, 1501))).toContain('the price went back up');
    expect(reason(product(true, 1500, 'EUR'))).toContain('the price went back up');
    expect(reason(product(false, 1500))).toContain('out of stock');
    expect(reason(facts({ product: null }))).toContain('not in the catalog');
  });
});

describe('latestInterest', () => {
  it('takes the latest in the window, a tie going viewed, carted, waitlisted', () => {
    const t = dropAt - day;
    expect(
      latestInterest(
        [
          { kind: 'waitlisted', at: t },
          { kind: 'carted', at: t },
          { kind: 'viewed', at: t - 1 },
          { kind: 'viewed', at: dropAt + 1 },
        ],
        dropAt,
        30,
      ),
    ).toEqual({ kind: 'carted', at: t });
    expect(latestInterest([], dropAt, 30)).toBeNull();
  });
});

describe('price-drop refs and the view', () => {
  it('round-trip the drop id and read in words', () => {
    expect(priceDropRef(42)).toBe('drop42');
    expect(parsePriceDropRef('drop42')).toBe(42);
    expect(parsePriceDropRef('drop')).toBeNull();
    expect(parsePriceDropRef('drop4x')).toBeNull();
    expect(parsePriceDropRef('restock4')).toBeNull();
    expect(describeInstance('drop42', now)).toBe('price drop 42');
  });

  it('shows the old and the current price in the one currency, the percent rounded down', () => {
    expect(priceDropView(2999, 2000, 'gbp')).toEqual({
      was: { display: '£29.99', minor: 2999, currency: 'GBP' },
      now: { display: '£20.00', minor: 2000, currency: 'GBP' },
      percent: 33,
    });
    expect(priceDropView(1000, 800, 'JPY').was).toEqual({
      display: 'JP¥1,000',
      minor: 1000,
      currency: 'JPY',
    });
  });
});

describe('recheck of a price-drop message', () => {
  const campaign = priceDropCampaign();
  const set = { settings: shopSettings(), campaigns: [campaign] };
  const base = {
    campaignId: campaign.id,
    step: 0,
    triggerKind: 'price_drop',
    hasAddress: true,
    suppressed: false,
    erased: false,
    consent: true,
    orderedSince: false,
    productInStock: true,
    priceRestored: false,
  };
  it('cancels it when the price went back up, it sold out or they bought it since', () => {
    const outcome = (overrides: object) => {
      const result = recheck({ ...base, ...overrides }, set);
      return result.send ? 'send' : result.reason;
    };
    expect(outcome({})).toBe('send');
    expect(outcome({ priceRestored: true })).toBe('price_restored');
    expect(outcome({ productInStock: false })).toBe('sold_out');
    expect(outcome({ orderedSince: true })).toBe('ordered');
  });
});

describe('the price_drop trigger block', () => {
  const file = (trigger: Record<string, unknown>) => ({
    name: 'Price drop',
    trigger: { type: 'price_drop', ...trigger },
    email: { template: 'price-drop.mjml', subject: 'Hi' },
  });
  const problems = (trigger: Record<string, unknown>) => {
    const parsed = campaignSchema('GBP').safeParse(file(trigger));
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('normalizes the block and fills max_hours', () => {
    const parsed = campaignSchema('GBP').parse(file({ min_percent: 15, days: 30 }));
    expect(parsed.trigger).toEqual({ type: 'price_drop', minPercent: 15, days: 30, maxHours: 72 });
    expect(parsed.steps).toHaveLength(1);
  });

  it('names each field out of its range', () => {
    expect(problems({ days: 30 })).toEqual([expect.stringMatching(/^trigger\.min_percent: /)]);
    expect(problems({ min_percent: 0, days: 30 })).toEqual([
      expect.stringMatching(/^trigger\.min_percent: .*from 1 to 90/),
    ]);
    expect(problems({ min_percent: 91, days: 30 })).toHaveLength(1);
    expect(problems({ min_percent: 12.5, days: 30 })).toHaveLength(1);
    expect(problems({ min_percent: 10, days: 366 })).toEqual([
      expect.stringMatching(/^trigger\.days: .*days from 1 to 365/),
    ]);
    expect(problems({ min_percent: 10, days: 30, max_hours: 0 })).toEqual([
      expect.stringMatching(/^trigger\.max_hours: .*hours from 1 to 720/),
    ]);
    expect(problems({ min_percent: 10, days: 30, max_hours: 720 })).toEqual([]);
    expect(problems({ min_percent: 10, days: 30, extra: 1 })).toHaveLength(1);
  });

  it('needs an email', () => {
    const parsed = campaignSchema('GBP').safeParse({
      ...file({ min_percent: 10, days: 30 }),
      email: undefined,
    });
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      'is required for price_drop campaigns: a mapping with template and subject',
    ]);
  });
});
