// The browse-abandonment rule at its boundaries, the view it picks, and the
// trigger block's checks.
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../src/core/campaigns/campaign.ts';
import {
  type BrowseFacts,
  latestProductView,
  matchBrowseAbandonment,
} from '../../src/core/triggers/browse-abandonment.ts';
import { browseRef, describeInstance, parseBrowseRef } from '../../src/core/triggers/trigger-ref.ts';

const hour = 3_600_000;
const now = Date.parse('2026-12-07T12:00:00Z');
const trigger = { hours: 4, maxHours: 48 };
const fresh = (at: number, overrides: Partial<BrowseFacts> = {}): BrowseFacts => ({
  lastView: { productId: 'mug', at },
  productInStock: true,
  cartedSince: false,
  orderedSince: false,
  ...overrides,
});

describe('matchBrowseAbandonment', () => {
  it('fires from exactly hours after the view to exactly max_hours, not a millisecond outside', () => {
    expect(matchBrowseAbandonment(trigger, fresh(now - 4 * hour), now)).toEqual({
      match: true,
      dueAt: now,
      instance: browseRef('mug', now - 4 * hour),
      productId: 'mug',
    });
    expect(matchBrowseAbandonment(trigger, fresh(now - 4 * hour + 1), now)).toMatchObject({
      match: false,
      reason: expect.stringContaining('waits 4 h'),
    });
    expect(matchBrowseAbandonment(trigger, fresh(now - 48 * hour), now)).toMatchObject({
      match: true,
      dueAt: now - 44 * hour,
    });
    expect(matchBrowseAbandonment(trigger, fresh(now - 48 * hour - 1), now)).toMatchObject({
      match: false,
      reason: expect.stringContaining('past max_hours 48'),
    });
  });

  it('does not fire after an order or a cart, or for a product sold out or unknown', () => {
    const at = now - 5 * hour;
    const reasons = [
      fresh(at, { orderedSince: true }),
      fresh(at, { cartedSince: true }),
      fresh(at, { productInStock: false }),
      fresh(at, { productInStock: null }),
      { ...fresh(at), lastView: null },
    ].map((facts) => {
      const outcome = matchBrowseAbandonment(trigger, facts, now);
      return outcome.match ? 'fired' : outcome.reason;
    });
    expect(reasons).toEqual([
      'ordered after the view',
      'a cart was touched after the view',
      'product mug is out of stock',
      'product mug is not in the catalog',
      'no product viewed',
    ]);
  });
});

describe('latestProductView', () => {
  it('takes the latest view, and of two in one millisecond the smaller product id', () => {
    expect(latestProductView([])).toBeNull();
    expect(
      latestProductView([
        { productId: 'a', at: 1 },
        { productId: 'z', at: 3 },
        { productId: 'b', at: 3 },
        { productId: 'c', at: 2 },
      ]),
    ).toEqual({ productId: 'b', at: 3 });
  });
});

describe('browse refs', () => {
  it('round-trip product ids holding the separator, and read in words', () => {
    const ref = browseRef('sku@2', 1765000000000);
    expect(ref).toBe('viewsku@2@1765000000000');
    expect(parseBrowseRef(ref)).toEqual({ productId: 'sku@2', viewedAt: 1765000000000 });
    expect(parseBrowseRef('view@123')).toBeNull();
    expect(parseBrowseRef('cartk1@123')).toBeNull();
    expect(describeInstance(ref, now)).toBe('product sku@2 viewed 2025-12-06 05:46 UTC');
  });
});

describe('the browse_abandonment trigger block', () => {
  const file = (trigger: Record<string, unknown>) => ({
    name: 'Browse',
    trigger: { type: 'browse_abandonment', ...trigger },
    email: { template: 'browse-abandonment.mjml', subject: 'Hi' },
  });
  const problems = (trigger: Record<string, unknown>) => {
    const parsed = campaignSchema('GBP').safeParse(file(trigger));
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('normalizes hours and fills max_hours', () => {
    const parsed = campaignSchema('GBP').parse(file({ hours: 2.5 }));
    expect(parsed.trigger).toEqual({ type: 'browse_abandonment', hours: 2.5, maxHours: 72 });
    expect(parsed.steps).toHaveLength(1);
  });

  it('names a missing or bad hours and a max_hours not above it', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^trigger\.hours: /)]);
    expect(problems({ hours: 0 })).toEqual([expect.stringMatching(/^trigger\.hours: .*> 0/)]);
    expect(problems({ hours: 6, max_hours: 6 })).toEqual([
      'trigger.max_hours: must be more than hours (6), got 6',
    ]);
  });

  it('needs an email', () => {
    const parsed = campaignSchema('GBP').safeParse({ ...file({ hours: 2 }), email: undefined });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      'is required for browse_abandonment campaigns: a mapping with template and subject',
    ]);
  });
});
