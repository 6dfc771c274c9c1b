// WooCommerce customers and products as Rekindle's records, validated by the
// API's schemas (core/ingest/records.ts).
//
// Customers: WooCommerce has no standard marketing-consent field. With
// WOO_CONSENT_META_KEY set, consent is that meta_data entry of the customer
// (yes, true, 1, on, subscribed: consent; anything else or no entry: none);
// unset, a webhook never changes consent (a new customer starts without it;
// it comes from POST /v1/customers, imports or the shop's own opt-in). Locale,
// time zone and tags, which WooCommerce does not have, keep their stored values.
//
// Products: each variation is its own product (its id; its parent's image and
// category when it has none). A product is in stock when its stock_status is
// instock and it is published; stock is stock_quantity when WooCommerce manages
// it. Products carry no currency in WooCommerce: they are priced in the shop's
// (settings.yaml). Going from out of stock to in stock records a restock
// (db/repositories/products.ts), which the back-in-stock trigger sends on.
import {
  type CustomerRecord,
  customerInput,
  type ProductRecord,
  productInput,
} from '../../../core/ingest/records.ts';
import { fromMinorUnits } from '../../../core/money.ts';
import { safeLink } from '../../../core/safe-link.ts';
import type { WooCustomer, WooProduct } from './payloads.ts';
import { plainText } from './woo-values.ts';

const consenting = new Set(['yes', 'true', '1', 'on', 'subscribed']);

function metaConsent(meta: WooCustomer['meta_data'], key: string): boolean {
  const entry = meta.find((m) => m.key === key);
  if (!entry) return false;
  const value = entry.value;
  if (typeof value === 'boolean') return value;
  return (
    (typeof value === 'string' || typeof value === 'number') &&
    consenting.has(String(value).trim().toLowerCase())
  );
}

export function wooCustomerRecord(
  customer: WooCustomer,
  stored: CustomerRecord | null,
  consentMetaKey: string | undefined,
): CustomerRecord {
  return customerInput.parse({
    id: customer.id,
    email: customer.email,
    first_name: customer.first_name,
    last_name: customer.last_name,
    country: customer.billing.country,
    created_at: customer.date_created_gmt?.iso,
    locale: stored?.locale,
    timezone: stored?.timezone,
    tags: stored?.tags,
    marketing_consent: consentMetaKey
      ? metaConsent(customer.meta_data, consentMetaKey)
      : (stored?.marketingConsent ?? false),
  });
}

export interface ProductContext {
  /** The shop's currency. */
  currency: string;
  /** The product as stored, if it is: its price stands in for a blank one. */
  stored: ProductRecord | null;
  /** A variation's parent as stored, if it is. */
  parent: ProductRecord | null;
}

const blankToNull = (value: string | number | null | undefined) =>
  value === null || value === undefined || String(value).trim() === '' ? null : value;

export function wooProductRecord(product: WooProduct, context: ProductContext): ProductRecord {
  const { currency, stored, parent } = context;
  const image = product.images[0]?.src ?? product.image?.src ?? null;
  const managed = product.manage_stock !== false && typeof product.stock_quantity === 'number';
  const storedPrice =
    stored && stored.currency === currency ? fromMinorUnits(stored.priceMinor, currency) : null;
  return productInput.parse({
    id: product.id,
    title: plainText(product.name) ?? parent?.title ?? `WooCommerce product ${product.id}`,
    url: safeLink(product.permalink) ?? parent?.url ?? null,
    image_url: safeLink(image) ?? parent?.imageUrl ?? null,
    category: plainText(product.categories[0]?.name ?? null) ?? parent?.category ?? null,
    currency,
    // A variable product's own price is blank until it has priced variations.
    price: blankToNull(product.price) ?? blankToNull(product.regular_price) ?? storedPrice ?? '0',
    stock: managed ? product.stock_quantity : null,
    in_stock:
      product.status === 'publish' &&
      (product.stock_status ? product.stock_status === 'instock' : (product.stock_quantity ?? 0) > 0),
    created_at: product.date_created_gmt?.iso,
  });
}
