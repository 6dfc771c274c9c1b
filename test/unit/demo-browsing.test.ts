// The demo's browsing: the same views however the demo's clock steps through
// the hours, only product and category views of the shop's own customers and
// products, at a plausible rate.
import { describe, expect, it } from 'vitest';
import { hourMs } from '../../src/core/time.ts';
import { demoBrowsing } from '../../src/demo/browsing.ts';

const from = Date.parse('2026-11-01T00:00:00Z');
const options = { seed: 'rekindle', customers: 5000, products: 300 };

describe('demoBrowsing', () => {
  it('gives the same views for a span however it is split', () => {
    const whole = demoBrowsing({ ...options, from, to: from + 48 * hourMs });
    const split = from + 7.5 * hourMs;
    const parts = [
      ...demoBrowsing({ ...options, from, to: split }),
      ...demoBrowsing({ ...options, from: split, to: from + 48 * hourMs }),
    ];
    expect(parts).toEqual(whole);
    expect(whole.every((e) => e.at >= from && e.at < from + 48 * hourMs + hourMs)).toBe(true);
  });

  it("views the shop's products by its customers, about one customer in 80 a day", () => {
    const day = demoBrowsing({ ...options, from, to: from + 24 * hourMs * 7 });
    const visitors = new Set(day.map((e) => ('customerId' in e.shopper ? e.shopper.customerId : '')));
    expect(visitors.size / 7).toBeGreaterThan(40);
    expect(visitors.size / 7).toBeLessThan(80);
    expect(new Set(day.map((e) => e.kind))).toEqual(new Set(['product', 'category']));
    for (const event of day) {
      if (event.kind === 'product') expect(event.ref).toMatch(/^prd_0(0\d\d|[12]\d\d|300)$/);
      expect('customerId' in event.shopper && event.shopper.customerId).toMatch(/^cus_\d{7}$/);
    }
  });
});
