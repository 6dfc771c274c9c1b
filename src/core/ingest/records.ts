// Input schemas for everything a shop platform pushes, and the normalized
// records they produce (epoch milliseconds, integer minor units, lower-case
// emails). The API and the file importer both validate through these. Money
// and quantities are held to the bounds of money-bounds.ts.
import { z } from 'zod';
import { type ExactLine, exactLinesValue, fromMinorUnits } from '../money.ts';
import { amountProblem } from '../money-bounds.ts';
import {
  country,
  currency,
  decimal,
  email,
  externalId,
  instant,
  linePrice,
  linesValue,
  minorUnits,
  optionalText,
  quantity,
  tags,
  text,
  timezone,
  url,
  wellFormed,
} from './fields.ts';

const lineItem = z.strictObject({
  product_id: externalId.nullish(),
  title: optionalText,
  quantity,
  unit_price: decimal,
});

type LineInput = z.output<typeof lineItem>;

/** Line items as stored (price in whole minor units), each with its exact price for totals. */
function pricedLines(items: readonly LineInput[], currencyCode: string, ctx: z.RefinementCtx) {
  return items.map((item, i) => {
    const price = linePrice(item.unit_price, currencyCode, ctx, ['items', i, 'unit_price']);
    const record = {
      productId: item.product_id ?? null,
      title: item.title,
      quantity: item.quantity,
      unitPriceMinor: price.minor,
    };
    return { quantity: item.quantity, price, record };
  });
}

const orderStatuses = ['paid', 'cancelled', 'refunded', 'test'] as const;

/**
 * The order's total and status. A given total is taken as it is (it may hold
 * shipping, tax and discounts the lines do not). Without one, the total is the
 * lines' exact value rounded once; lines adding up below 0 (only returns, like
 * a UCI "C" invoice) are a refund of that amount unless the status says paid.
 */
function orderTotal(
  o: { status?: (typeof orderStatuses)[number]; currency: string; total?: string | number },
  lines: readonly ExactLine[],
  ctx: z.RefinementCtx,
): { status: (typeof orderStatuses)[number]; totalMinor: number } {
  if (o.total !== undefined) {
    return { status: o.status ?? 'paid', totalMinor: minorUnits(o.total, o.currency, ctx, ['total']) };
  }
  if (lines.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: 'must not be blank without line items to add up',
      path: ['total'],
    });
    return { status: o.status ?? 'paid', totalMinor: 0 };
  }
  const value = exactLinesValue(lines, o.currency);
  if (value < 0 && o.status === 'paid') {
    ctx.addIssue({
      code: 'custom',
      message: `the lines add up to ${fromMinorUnits(value, o.currency)} ${o.currency}, below 0 for a paid order; give the total, or status refunded`,
      path: ['items'],
    });
  }
  const totalMinor = Math.abs(value);
  const problem = amountProblem(totalMinor, o.currency);
  if (problem) ctx.addIssue({ code: 'custom', message: `the lines' total ${problem}`, path: ['items'] });
  return { status: o.status ?? (value < 0 ? 'refunded' : 'paid'), totalMinor };
}

// A cart holds what is being bought: a returned (negative) line belongs to an order.
const cartLine = lineItem.extend({
  quantity: quantity.refine((q) => q > 0, 'quantity must be positive in a cart'),
});

// A URL parser quietly accepts a lone surrogate; refused like in any other text field.
const link = wellFormed(url);

export const customerInput = z
  .strictObject({
    id: externalId,
    email: email.nullish(),
    first_name: optionalText,
    last_name: optionalText,
    locale: text().trim().max(35).nullish(),
    timezone: timezone.nullish(),
    country: country.nullish(),
    tags: tags.optional(),
    marketing_consent: z.boolean().optional(),
    created_at: instant.optional(),
  })
  .transform((c) => ({
    id: c.id,
    email: c.email ?? null,
    firstName: c.first_name,
    lastName: c.last_name,
    locale: c.locale ?? null,
    timezone: c.timezone ?? null,
    country: c.country ?? null,
    tags: c.tags ?? [],
    marketingConsent: c.marketing_consent ?? false,
    createdAt: c.created_at ?? null,
  }));
export type CustomerRecord = z.output<typeof customerInput>;

export const orderInput = z
  .strictObject({
    id: externalId,
    customer_id: externalId,
    placed_at: instant,
    // Blank means paid, unless a total taken from the lines is below 0 (a return).
    status: z.enum(orderStatuses).optional(),
    currency,
    // Without a total, the lines' exact value rounded once (see orderTotal).
    total: decimal.optional(),
    discount_codes: z.array(text().trim().min(1).max(100)).max(50).optional(),
    items: z.array(lineItem).max(1000).optional(),
  })
  .transform((o, ctx) => {
    const lines = pricedLines(o.items ?? [], o.currency, ctx);
    const items = lines.map((line) => line.record);
    linesValue(items, o.currency, ctx);
    const { status, totalMinor } = orderTotal(o, lines, ctx);
    return {
      id: o.id,
      customerId: o.customer_id,
      placedAt: o.placed_at,
      status,
      currency: o.currency,
      totalMinor,
      discountCodes: (o.discount_codes ?? []).map((code) => code.toUpperCase()),
      items,
    };
  });
export type OrderRecord = z.output<typeof orderInput>;
export type LineItemRecord = OrderRecord['items'][number];

export const cartInput = z
  .strictObject({
    id: externalId,
    customer_id: externalId.nullish(),
    email: email.nullish(),
    status: z.enum(['open', 'converted', 'deleted']).default('open'),
    currency,
    value: decimal.optional(),
    recovery_url: link.nullish(),
    last_activity_at: instant,
    created_at: instant.optional(),
    items: z.array(cartLine).max(500).default([]),
  })
  .transform((c, ctx) => {
    const lines = pricedLines(c.items, c.currency, ctx);
    const items = lines.map((line) => line.record);
    linesValue(items, c.currency, ctx);
    return {
      id: c.id,
      customerId: c.customer_id ?? null,
      email: c.email ?? null,
      status: c.status,
      currency: c.currency,
      valueMinor:
        c.value === undefined
          ? exactLinesValue(lines, c.currency)
          : minorUnits(c.value, c.currency, ctx, ['value']),
      recoveryUrl: c.recovery_url ?? null,
      lastActivityAt: c.last_activity_at,
      createdAt: c.created_at ?? c.last_activity_at,
      items,
    };
  });
export type CartRecord = z.output<typeof cartInput>;

export const productInput = z
  .strictObject({
    id: externalId,
    title: text().trim().min(1, 'must not be blank').max(500),
    url: link.nullish(),
    image_url: link.nullish(),
    category: optionalText,
    currency,
    price: decimal,
    stock: z.number().int('stock must be a whole number').nullish(),
    in_stock: z.boolean().optional(),
    /** A consumable's re-buy interval; omitted keeps the stored one, null clears it. */
    replenish_days: z.number().int('replenish_days must be a whole number').min(1).max(730).nullish(),
    /** When the shop created the product: a catalogue imported whole is not all new arrivals. */
    created_at: instant.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.in_stock === undefined && (p.stock === undefined || p.stock === null)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give stock (a quantity) or in_stock (true/false)',
        path: ['stock'],
      });
    }
  })
  .transform((p, ctx) => ({
    id: p.id,
    title: p.title,
    url: p.url ?? null,
    imageUrl: p.image_url ?? null,
    category: p.category,
    currency: p.currency,
    priceMinor: minorUnits(p.price, p.currency, ctx, ['price']),
    stockQuantity: p.stock ?? null,
    inStock: p.in_stock ?? (p.stock ?? 0) > 0,
    ...(p.replenish_days !== undefined && { replenishDays: p.replenish_days }),
    ...(p.created_at !== undefined && { createdAt: p.created_at }),
  }));
export type ProductRecord = z.output<typeof productInput>;

export const waitlistInput = z
  .strictObject({
    id: externalId.optional(),
    product_id: externalId,
    customer_id: externalId.nullish(),
    email,
    created_at: instant.optional(),
  })
  .transform((w) => ({
    // Platforms rarely give waitlist sign-ups an id; one address waiting for one
    // product is one entry, so that pair is the natural key.
    id: w.id ?? `${w.product_id}:${w.email}`,
    productId: w.product_id,
    customerId: w.customer_id ?? null,
    email: w.email,
    createdAt: w.created_at ?? null,
  }));
export type WaitlistRecord = z.output<typeof waitlistInput>;

export const ingestSchemas = {
  customers: customerInput,
  orders: orderInput,
  carts: cartInput,
  products: productInput,
  waitlist: waitlistInput,
} as const;
export type IngestKind = keyof typeof ingestSchemas;
