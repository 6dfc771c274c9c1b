// Input schemas for everything a shop platform pushes, and the normalized
// records they produce (epoch milliseconds, integer minor units, lower-case
// emails). The API and the file importer both validate through these. Money
// and quantities are held to the bounds of money-bounds.ts.
import { z } from 'zod';
import {
  country,
  currency,
  decimal,
  email,
  externalId,
  instant,
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
    status: z.enum(['paid', 'cancelled', 'refunded', 'test']).default('paid'),
    currency,
    total: decimal,
    discount_codes: z.array(text().trim().min(1).max(100)).max(50).optional(),
    items: z.array(lineItem).max(1000).optional(),
  })
  .transform((o, ctx) => {
    const items = (o.items ?? []).map((item, i) => ({
      productId: item.product_id ?? null,
      title: item.title,
      quantity: item.quantity,
      unitPriceMinor: minorUnits(item.unit_price, o.currency, ctx, ['items', i, 'unit_price']),
    }));
    linesValue(items, o.currency, ctx);
    return {
      id: o.id,
      customerId: o.customer_id,
      placedAt: o.placed_at,
      status: o.status,
      currency: o.currency,
      totalMinor: minorUnits(o.total, o.currency, ctx, ['total']),
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
    const items = c.items.map((item, i) => ({
      productId: item.product_id ?? null,
      title: item.title,
      quantity: item.quantity,
      unitPriceMinor: minorUnits(item.unit_price, c.currency, ctx, ['items', i, 'unit_price']),
    }));
    const itemsValue = linesValue(items, c.currency, ctx);
    return {
      id: c.id,
      customerId: c.customer_id ?? null,
      email: c.email ?? null,
      status: c.status,
      currency: c.currency,
      valueMinor: c.value === undefined ? itemsValue : minorUnits(c.value, c.currency, ctx, ['value']),
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
