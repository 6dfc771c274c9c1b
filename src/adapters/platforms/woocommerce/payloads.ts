// The parts of WooCommerce's webhook payloads Rekindle reads. A resource
// topic's body is the resource exactly as the REST API (wc/v3) returns it;
// shapes from WooCommerce's REST API docs (woocommerce/woocommerce-rest-api-docs,
// source/includes/wp-api-v3/_orders.md, _customers.md, _products.md) and
// WC_Webhook::build_payload (a `deleted` topic's body is `{ "id": N }`). Other
// fields are ignored. Times ending _gmt carry no offset: they are UTC.
import { z } from 'zod';
import { parseInstant } from '../../../core/time.ts';

/** WooCommerce ids are JSON integers; Rekindle stores every id as text. */
const wooId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)], {
    error: 'expected a WooCommerce id (a whole number)',
  })
  .transform(String);

/** `2017-03-22T19:28:02` (GMT, no offset) as an ISO 8601 instant with its offset. */
export function gmtIso(text: string): string {
  return /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text.trim()) ? text.trim() : `${text.trim()}Z`;
}

const gmtTime = z.string().transform((text, ctx) => {
  const parsed = parseInstant(gmtIso(text));
  if (parsed.ok) return { iso: gmtIso(text), millis: parsed.value };
  ctx.addIssue({ code: 'custom', message: parsed.reason });
  return z.NEVER;
});

// Blank strings are WooCommerce's "not set" (an empty email, country or name).
const blankable = z
  .string()
  .nullish()
  .transform((value) => (value?.trim() ? value.trim() : null));

const metaEntry = z.object({ key: z.string(), value: z.unknown() });

export const deletedPayload = z.object({ id: wooId });

export const wooOrder = z.object({
  id: wooId,
  status: z.string(),
  currency: z.string(),
  date_created_gmt: gmtTime,
  date_modified_gmt: gmtTime,
  date_paid_gmt: z.string().nullish(),
  total: z.union([z.string(), z.number()]),
  customer_id: wooId,
  billing: z
    .object({ email: blankable, first_name: blankable, last_name: blankable })
    .nullish()
    .transform((billing) => billing ?? { email: null, first_name: null, last_name: null }),
  line_items: z
    .array(
      z.object({
        name: blankable,
        product_id: wooId.nullish(),
        variation_id: wooId.nullish(),
        quantity: z.number(),
        subtotal: z.union([z.string(), z.number()]).nullish(),
        price: z.union([z.string(), z.number()]).nullish(),
      }),
    )
    .default([]),
  coupon_lines: z.array(z.object({ code: z.string() })).default([]),
});
export type WooOrder = z.output<typeof wooOrder>;

export const wooCustomer = z.object({
  id: wooId,
  email: blankable,
  first_name: blankable,
  last_name: blankable,
  date_created_gmt: gmtTime.nullish(),
  date_modified_gmt: gmtTime,
  billing: z
    .object({ country: blankable })
    .nullish()
    .transform((billing) => billing ?? { country: null }),
  meta_data: z.array(metaEntry).default([]),
});
export type WooCustomer = z.output<typeof wooCustomer>;

const imageRef = z.object({ src: blankable });

export const wooProduct = z.object({
  id: wooId,
  name: blankable,
  /** simple, grouped, external, variable, or variation. */
  type: z.string().default('simple'),
  /** publish, draft, pending, private, trash. */
  status: z.string().default('publish'),
  permalink: blankable,
  price: z.union([z.string(), z.number()]).nullish(),
  regular_price: z.union([z.string(), z.number()]).nullish(),
  manage_stock: z.union([z.boolean(), z.literal('parent')]).nullish(),
  stock_quantity: z.number().int().nullish(),
  /** instock, outofstock, onbackorder. */
  stock_status: z.string().nullish(),
  categories: z.array(z.object({ name: blankable })).default([]),
  images: z.array(imageRef).default([]),
  /** The variations endpoint's single image (a variation's own). */
  image: imageRef.nullish(),
  parent_id: wooId.nullish(),
  date_created_gmt: gmtTime.nullish(),
  date_modified_gmt: gmtTime,
});
export type WooProduct = z.output<typeof wooProduct>;
