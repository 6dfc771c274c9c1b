// The redemption rule and the redemption's value exist twice, in core (what
// validate explains, what POST /v1/redemptions answers) and as SQL (what the
// conditional INSERTs of redemptions and ingested orders decide). These
// properties hold each pair equal on a real libSQL file: same coupon, same
// basket, same verdict and reason; same order, same integer minor units.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMinorUnits } from '../../../src/core/money.ts';
import { maxAmountMinor } from '../../../src/core/money-bounds.ts';
import { type CouponTerms, redemptionDiscountMinor } from '../../../src/core/offers/discount.ts';
import { type Basket, couponProblem, type StoredCoupon } from '../../../src/core/offers/evaluate.ts';
import { couponProblemSql, redemptionDiscountSql } from '../../../src/db/repositories/coupon-rule-sql.ts';
import { coupons, messages } from '../../../src/db/schema/index.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(() => temp.cleanup());

/** An SQL literal for a number, as a stored column holds it (integer, or real for 12.5%). */
const literal = (n: number) => sql.raw(String(n));

// Currencies with 0, 2 and 3 decimals; amounts are drawn as the decimal text a
// shop sends and turned into minor units by the same parser the API uses.
const currencies = ['JPY', 'EUR', 'KWD'] as const;
const decimals = { JPY: 0, EUR: 2, KWD: 3 } as const;

function amountIn(currency: (typeof currencies)[number], maxMinor: number): fc.Arbitrary<number> {
  return fc
    .oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: maxMinor }))
    .map((minor) => {
      const places = decimals[currency];
      const text =
        places === 0
          ? String(minor)
          : `${Math.floor(minor / 10 ** places)}.${String(minor % 10 ** places).padStart(places, '0')}`;
      const parsed = toMinorUnits(text, currency);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value;
    });
}

// Whole percentages and those with up to three decimals (a campaign may say 12.5 or 33.333).
const percent = fc.oneof(
  fc.integer({ min: 1, max: 100 }),
  fc.integer({ min: 1000, max: 100_000 }).map((thousandths) => thousandths / 1000),
);

const terms: fc.Arbitrary<CouponTerms> = fc.oneof(
  percent.map((value) => ({ kind: 'percent_off' as const, value })),
  fc.integer({ min: 1, max: maxAmountMinor }).map((value) => ({ kind: 'amount_off' as const, value })),
  fc.constant({ kind: 'free_shipping' as const, value: 0 as const }),
);

const orderCase = fc.constantFrom(...currencies).chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    terms,
    // Lines may be missing (null), or add up below zero (returned lines).
    items: fc.oneof(
      fc.constant(null),
      amountIn(currency, maxAmountMinor),
      amountIn(currency, 100_000).map((n) => -n),
    ),
    total: amountIn(currency, maxAmountMinor),
  }),
);

describe('the redemption value in SQL and in core', () => {
  it('gives the same integer minor units for any order, percentage, amount and currency', async () => {
    await fc.assert(
      fc.asyncProperty(orderCase, async ({ terms, items, total }) => {
        const expected = redemptionDiscountMinor(terms, { itemsSubtotalMinor: items, totalMinor: total });
        const [row] = await temp.store.db.all<{ d: number }>(
          sql`select ${redemptionDiscountSql(
            { kind: sql`${terms.kind}`, value: literal(terms.value) },
            items === null ? sql`null` : literal(items),
            literal(total),
          )} as d`,
        );
        expect(row!.d).toBe(expected);
      }),
      { numRuns: 600 },
    );
  });

  it('agrees on the cases worked out by hand', async () => {
    const cases: [CouponTerms, number | null, number, number][] = [
      // 15% of 19.99 is 2.9985: half a cent rounds up to 3.00.
      [{ kind: 'percent_off', value: 15 }, 1999, 1699, 300],
      // 12.344% is taken to hundredths, 12.34%, of 1000.00: 123.40 (the old SQL gave 123.44).
      [{ kind: 'percent_off', value: 12.344 }, 100_000, 0, 12_340],
      // Worked back from a total of 85.00 after 15% off: 15.00.
      [{ kind: 'percent_off', value: 15 }, null, 8500, 1500],
      [{ kind: 'amount_off', value: 500 }, 320, 0, 320],
      [{ kind: 'amount_off', value: 500 }, -200, 0, 0],
      [{ kind: 'percent_off', value: 100 }, null, 0, 0],
    ];
    for (const [t, items, total, minor] of cases) {
      expect(redemptionDiscountMinor(t, { itemsSubtotalMinor: items, totalMinor: total })).toBe(minor);
      const [row] = await temp.store.db.all<{ d: number }>(
        sql`select ${redemptionDiscountSql(
          { kind: sql`${t.kind}`, value: literal(t.value) },
          items === null ? sql`null` : literal(items),
          literal(total),
        )} as d`,
      );
      expect(row!.d).toBe(minor);
    }
  });
});

const now = Date.parse('2026-11-01T12:00:00Z');
const customer = fc.constantFrom('c1', 'c2', null);
const couponCase = fc.record({
  messageStatus: fc.constantFrom('sent', 'scheduled', 'held_out', 'failed', null),
  customerId: customer,
  terms,
  currency: fc.constantFrom('GBP', 'EUR', null),
  minSubtotalMinor: fc.option(fc.integer({ min: 0, max: 10_000 })),
  expiresAt: fc.option(fc.integer({ min: now - 10, max: now + 10 })),
  usesAllowed: fc.integer({ min: 1, max: 3 }),
  uses: fc.integer({ min: 0, max: 4 }),
});
const basketCase = fc.record({
  customerId: customer,
  currency: fc.constantFrom('GBP', 'gbp', 'EUR', 'JPY'),
  subtotalMinor: fc.integer({ min: 0, max: 10_000 }),
  enforceMinimum: fc.boolean(),
});

type CouponCase = typeof couponCase extends fc.Arbitrary<infer T> ? T : never;

let serial = 0;

/** Stores the coupon (and its message, unless it has none) and returns the stored form. */
async function storeCoupon(c: CouponCase): Promise<StoredCoupon> {
  const id = ++serial;
  const code = `RULE-${id}`;
  const messageId = c.messageStatus === null ? null : `m-${id}`;
  if (messageId !== null) {
    await temp.store.db.insert(messages).values({
      id: messageId,
      dedupeKey: `rule:${id}`,
      campaignId: 'winback',
      step: 0,
      customerId: c.customerId,
      email: null,
      triggerKind: 'dormant',
      triggerRef: 'e',
      status: c.messageStatus as 'sent',
      dueAt: now,
      createdAt: now,
      updatedAt: now,
    });
  }
  await temp.store.db.insert(coupons).values({
    code,
    campaignId: 'winback',
    messageId,
    customerId: c.customerId,
    kind: c.terms.kind,
    value: c.terms.value,
    currency: c.currency,
    minSubtotalMinor: c.minSubtotalMinor,
    expiresAt: c.expiresAt,
    usesAllowed: c.usesAllowed,
    uses: c.uses,
    createdAt: now,
  });
  return { ...c, code, campaignId: 'winback' };
}

async function sqlProblem(code: string, basket: Basket, at: number): Promise<string | null> {
  const problem = couponProblemSql({
    customerId: sql`${basket.customerId}`,
    currency: sql`${basket.currency}`,
    now: literal(at),
    subtotalMinor: literal(basket.subtotalMinor),
    enforceMinimum: basket.enforceMinimum !== false,
  });
  const rows = await temp.store.db.all<{ reason: string | null }>(sql`
    select ${problem} as reason
    from (select ${code} as code) k
    left join coupons c on c.code = k.code
    left join messages m on m.id = c.message_id`);
  return rows[0]!.reason;
}

describe('the redemption rule in SQL and in core', () => {
  it('gives the same verdict and reason for the same coupon, basket and time', async () => {
    await fc.assert(
      fc.asyncProperty(
        couponCase,
        basketCase,
        fc.integer({ min: -12, max: 12 }),
        async (c, basket, shift) => {
          const stored = await storeCoupon(c);
          const at = now + shift;
          expect(await sqlProblem(stored.code, basket, at)).toBe(couponProblem(stored, basket, at));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a code no coupon has is unknown in both', async () => {
    const basket = { customerId: 'c1', currency: 'GBP', subtotalMinor: 100 };
    expect(await sqlProblem('NOPE-2222-3333-4444', basket, now)).toBe('unknown');
    expect(couponProblem(undefined, basket, now)).toBe('unknown');
  });
});
