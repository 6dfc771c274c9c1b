// A demo customer's past relative to `now`: when they signed up, the orders
// their segment implies (loyal, active, overdue, dormant, one-time, never), and
// any carts. Pure: the same profile, seed and `now` give the same history.
import type { CartRecord, CustomerRecord, OrderRecord } from '../core/ingest/records.ts';
import { dayMs, hourMs, minuteMs } from '../core/time.ts';
import type { CustomerProfile, Segment } from './customers.ts';
import { type ProductPicker, priceIn, shopBaseUrl } from './products.ts';
import { deriveSeed, Rng } from './random.ts';

/** Orders and sign-ups reach this far back. */
export const historyDays = 730;

export interface CustomerHistory {
  customer: CustomerRecord;
  orders: OrderRecord[];
  carts: CartRecord[];
}

export function customerHistory(
  profile: CustomerProfile,
  picker: ProductPicker,
  shopSeed: number,
  now: number,
): CustomerHistory {
  const rng = new Rng(deriveSeed(shopSeed, 2, profile.index));
  const days = purchaseDays(profile.segment, rng);
  const earliest = now - (historyDays - 1) * dayMs;
  const times = days.map((d) => Math.max(earliest, atWakingHour(now - d * dayMs, profile, rng, now)));
  const first = times[0];
  const createdAt = Math.round(
    first === undefined
      ? now - rng.between(0, historyDays) * dayMs
      : Math.max(now - historyDays * dayMs, first - rng.between(0.02, 10) * dayMs),
  );
  const orders = times.map((placedAt, k) =>
    order(profile, picker, rng, k, placedAt, k === times.length - 1 && keepsLastPaid(profile.segment)),
  );
  const carts: CartRecord[] = [];
  if (rng.chance(cartChance(profile.segment))) carts.push(customerCart(profile, picker, rng, now));
  if (rng.chance(0.01)) carts.push(guestCart(profile, picker, rng, now));
  return {
    customer: {
      id: profile.id,
      email: profile.email,
      firstName: profile.firstName,
      lastName: profile.lastName,
      locale: profile.locale,
      timezone: profile.timezone,
      country: profile.country,
      tags: profile.tags,
      marketingConsent: profile.marketingConsent,
      createdAt,
    },
    orders,
    carts,
  };
}

/** Days before `now` of each purchase, oldest first. */
function purchaseDays(segment: Segment, rng: Rng): number[] {
  const backwards: number[] = [];
  const walk = (last: number, count: number, gap: () => number) => {
    let t = last;
    for (let i = 0; i < count && t < historyDays - 1; i++, t += gap()) backwards.push(t);
  };
  switch (segment) {
    case 'loyal': {
      // Buys every 20-45 days, most recently within one gap, for months or years.
      const cadence = rng.int(20, 45);
      const since = rng.between(150, historyDays - 1);
      walk(
        rng.between(0, cadence * 0.9),
        Math.floor(since / cadence) + 1,
        () => cadence * rng.between(0.75, 1.25),
      );
      break;
    }
    case 'overdue': {
      // A steady rhythm that stopped: idle for 2.6-4.5 of their usual gaps.
      const cadence = rng.int(20, 60);
      walk(cadence * rng.between(2.6, 4.5), rng.int(3, 8), () => cadence * rng.between(0.85, 1.15));
      break;
    }
    case 'dormant': {
      const count = rng.weighted([
        [1, 35],
        [2, 30],
        [3, 20],
        [4, 10],
        [5, 5],
      ] as const);
      walk(rng.between(90, 400), count, () => rng.between(15, 120));
      break;
    }
    case 'active':
      walk(rng.between(0, 60), rng.int(2, 8), () => rng.between(20, 150));
      break;
    case 'one_time':
      backwards.push(rng.between(0, 700));
      break;
    case 'never':
      break;
  }
  return backwards.reverse();
}

/** Segments defined by a recent purchase must not have it cancelled away. */
function keepsLastPaid(segment: Segment): boolean {
  return segment === 'loyal' || segment === 'active';
}

function order(
  profile: CustomerProfile,
  picker: ProductPicker,
  rng: Rng,
  k: number,
  placedAt: number,
  mustBePaid: boolean,
): OrderRecord {
  const status = mustBePaid
    ? 'paid'
    : rng.weighted([
        ['paid', 949],
        ['cancelled', 30],
        ['refunded', 20],
        ['test', 1],
      ] as const);
  const items = lineItems(profile, picker, rng, rng.weighted(lineCounts), false);
  return {
    id: `ord_${String(profile.index + 1).padStart(7, '0')}_${String(k + 1).padStart(2, '0')}`,
    customerId: profile.id,
    placedAt,
    status,
    currency: profile.currency,
    totalMinor: items.reduce((sum, item) => sum + item.quantity * item.unitPriceMinor, 0),
    discountCodes: [],
    items,
  };
}

const lineCounts = [
  [1, 50],
  [2, 30],
  [3, 15],
  [4, 5],
] as const;

function lineItems(
  profile: CustomerProfile,
  picker: ProductPicker,
  rng: Rng,
  count: number,
  inStockOnly: boolean,
) {
  const items: OrderRecord['items'] = [];
  const seen = new Set<string>();
  for (let attempt = 0; items.length < count && attempt < count * 4; attempt++) {
    let product = picker.pick(rng, profile.favouriteCategory);
    // Carts mostly hold what can be bought now; a few keep a sold-out item.
    if (inStockOnly && !product.inStock && rng.chance(0.7))
      product = picker.pick(rng, profile.favouriteCategory);
    if (seen.has(product.id)) continue;
    seen.add(product.id);
    const base = rng.weighted([
      [1, 75],
      [2, 18],
      [3, 5],
      [rng.int(4, 6), 2],
    ] as const);
    items.push({
      productId: product.id,
      title: product.title,
      quantity: profile.tags.includes('wholesale') ? base * rng.int(3, 10) : base,
      unitPriceMinor: priceIn(product, profile.currency),
    });
  }
  return items;
}

function cartChance(segment: Segment): number {
  return segment === 'loyal' || segment === 'active' ? 0.1 : segment === 'never' ? 0.08 : 0.06;
}

function customerCart(profile: CustomerProfile, picker: ProductPicker, rng: Rng, now: number): CartRecord {
  const status = rng.weighted([
    ['open', 60],
    ['converted', 25],
    ['deleted', 15],
  ] as const);
  return cart(profile, picker, rng, now, status, profile.id, profile.email);
}

function guestCart(profile: CustomerProfile, picker: ProductPicker, rng: Rng, now: number): CartRecord {
  // Guests who never gave an address leave carts no one can be reminded of.
  const email = rng.chance(0.85) ? `guest.${rng.hex(8)}@example.net` : null;
  return cart(profile, picker, rng, now, 'open', null, email);
}

function cart(
  profile: CustomerProfile,
  picker: ProductPicker,
  rng: Rng,
  now: number,
  status: CartRecord['status'],
  customerId: string | null,
  email: string | null,
): CartRecord {
  const token = rng.hex(32);
  const idle = status === 'open' ? openCartIdle(rng) : rng.between(1, 60) * dayMs;
  const lastActivityAt = Math.round(now - idle);
  const items = lineItems(profile, picker, rng, rng.weighted(lineCounts.slice(0, 3)), true);
  return {
    id: token,
    customerId,
    email,
    status,
    currency: profile.currency,
    valueMinor: items.reduce((sum, item) => sum + item.quantity * item.unitPriceMinor, 0),
    recoveryUrl: `${shopBaseUrl}/cart/recover/${token}`,
    lastActivityAt,
    createdAt: Math.round(lastActivityAt - rng.between(0, 2) * hourMs),
    items,
  };
}

/** Minutes to days, so a 1 h / 24 h / 72 h series has carts at every step. */
function openCartIdle(rng: Rng): number {
  return rng.weighted([
    [() => rng.between(5, 59) * minuteMs, 25],
    [() => rng.between(1, 24) * hourMs, 35],
    [() => rng.between(1, 3) * dayMs, 25],
    [() => rng.between(3, 14) * dayMs, 15],
  ] as const)();
}

/** A time on the given day between 07:00 and 23:00 in the customer's zone. */
function atWakingHour(approx: number, profile: CustomerProfile, rng: Rng, now: number): number {
  const offset = profile.utcOffsetHours * hourMs;
  const localDayStart = Math.floor((approx + offset) / dayMs) * dayMs;
  const hour = rng.weighted([
    [rng.int(7, 11), 3],
    [rng.int(12, 17), 4],
    [rng.int(18, 22), 5],
  ] as const);
  const at = localDayStart + hour * hourMs + Math.floor(rng.next() * hourMs) - offset;
  // Later today has not happened yet: the same hour yesterday has.
  return at >= now ? at - dayMs : at;
}
