// GraphQL Admin nodes (sync-queries.ts) → the REST-shaped payloads the
// webhook handlers read (customers.ts, orders.ts, products.ts,
// checkouts.ts), so a synced record is translated by the same code as a
// delivered one and each concept keeps one translation. Only field names and
// shapes change here: gid strings ("gid://shopify/Order/820982911946154508")
// become their numeric tail, the id a webhook carries, as exact text; enums
// (PAID, SUBSCRIBED, CONTINUE) become the REST payloads' lower-case words;
// MoneyBags become the amount in the currency the webhook's field is in.
import { listOf, objectOf, type Payload, textOf } from './payload.ts';

/** The numeric id at the end of a Shopify gid, as exact decimal text; null when it is not one. */
export function gidTail(value: unknown): string | null {
  const text = textOf(value);
  if (text === null) return null;
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(text);
  return match ? (match[1] as string) : null;
}

function lower(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

function nodesOf(connection: unknown): Payload[] {
  return listOf(objectOf(connection)?.nodes);
}

/** A MoneyBag's amount in one of its currencies (shopMoney or presentmentMoney). */
function amountOf(bag: unknown, which: 'shopMoney' | 'presentmentMoney'): unknown {
  return objectOf(objectOf(bag)?.[which])?.amount;
}

function lineItems(connection: unknown, money: 'shopMoney' | 'presentmentMoney'): Payload[] {
  return nodesOf(connection).map((line) => ({
    quantity: line.quantity,
    name: line.name ?? line.title,
    variant_id: gidTail(objectOf(line.variant)?.id),
    product_id: gidTail(objectOf(line.product)?.id),
    price: amountOf(line.originalUnitPriceSet, money),
  }));
}

export function customerPayload(node: Payload): Payload {
  const email = objectOf(node.defaultEmailAddress);
  const state = lower(email?.marketingState);
  return {
    id: gidTail(node.id),
    email: email?.emailAddress,
    first_name: node.firstName,
    last_name: node.lastName,
    tags: Array.isArray(node.tags) ? node.tags.join(', ') : undefined,
    created_at: node.createdAt,
    updated_at: node.updatedAt,
    default_address: { country_code: objectOf(node.defaultAddress)?.countryCodeV2 },
    ...(state ? { email_marketing_consent: { state, consent_updated_at: email?.marketingUpdatedAt } } : {}),
  };
}

export function orderPayload(node: Payload): Payload {
  const customer = objectOf(node.customer);
  return {
    id: gidTail(node.id),
    email: node.email,
    created_at: node.createdAt,
    updated_at: node.updatedAt,
    processed_at: node.processedAt,
    cancelled_at: node.cancelledAt,
    test: node.test,
    financial_status: lower(node.displayFinancialStatus),
    currency: node.currencyCode,
    total_price: amountOf(node.totalPriceSet, 'shopMoney'),
    discount_codes: (Array.isArray(node.discountCodes) ? node.discountCodes : []).map((code) => ({ code })),
    // Read from API version 2026-07 on (sync-queries.ts): the tokens that convert the order's open cart.
    checkout_token: node.checkoutToken ?? null,
    cart_token: node.cartToken ?? null,
    customer: customer && {
      id: gidTail(customer.id),
      email: customer.email,
      first_name: customer.firstName,
      last_name: customer.lastName,
    },
    line_items: lineItems(node.lineItems, 'shopMoney'),
  };
}

export function productPayload(node: Payload): Payload {
  const image = objectOf(objectOf(objectOf(node.featuredMedia)?.preview)?.image);
  return {
    id: gidTail(node.id),
    title: node.title,
    handle: node.handle,
    product_type: node.productType,
    status: lower(node.status),
    created_at: node.createdAt,
    updated_at: node.updatedAt,
    image: image ? { src: image.url } : null,
    variants: nodesOf(node.variants).map((variant) => {
      const item = objectOf(variant.inventoryItem);
      return {
        id: gidTail(variant.id),
        title: variant.title,
        price: variant.price,
        inventory_quantity: variant.inventoryQuantity,
        inventory_policy: lower(variant.inventoryPolicy),
        inventory_management: item?.tracked === true ? 'shopify' : null,
        inventory_item_id: gidTail(item?.id),
        updated_at: variant.updatedAt,
      };
    }),
  };
}

export function checkoutPayload(node: Payload): Payload {
  const customer = objectOf(node.customer);
  const total = objectOf(objectOf(node.totalPriceSet)?.presentmentMoney);
  return {
    id: gidTail(node.id),
    email: customer?.email,
    customer: customer && { id: gidTail(customer.id), email: customer.email },
    abandoned_checkout_url: node.abandonedCheckoutUrl,
    created_at: node.createdAt,
    updated_at: node.updatedAt,
    completed_at: node.completedAt,
    presentment_currency: total?.currencyCode,
    total_price: total?.amount,
    line_items: lineItems(node.lineItems, 'presentmentMoney'),
  };
}
