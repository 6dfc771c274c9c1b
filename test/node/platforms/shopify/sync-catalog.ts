// A shop's worth of Admin GraphQL nodes for the sync tests, in the shapes of
// Shopify's GraphQL Admin reference (Customer, Order, Product with variants,
// AbandonedCheckout; see src/adapters/platforms/shopify/sync-queries.ts). Every
// id is above 2^53, so a rounded id shows as a wrong one.
import type { Catalog } from '../stand-ins/shopify-reads.ts';

/** Ids past Number.MAX_SAFE_INTEGER, as exact decimal text. */
export const bigId = (base: bigint, i: number) => String(base + BigInt(i));
const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;

const customerBase = 820982911946154508n;
const orderBase = 9007199254740993n;
const productBase = 9107199254740000n;
const variantBase = 9207199254740000n;
const checkoutBase = 9307199254740000n;

export interface CatalogIds {
  customers: string[];
  orders: string[];
  variants: string[];
  checkouts: string[];
}

/** The `token` of test/fixtures/shopify/checkouts-create.json. */
export const checkoutsCreateToken = '0123456789abcdef0123456789abcdef';

export function shopCatalog(size: {
  customers: number;
  products: number;
  orders: number;
  checkouts: number;
}): { catalog: Catalog; ids: CatalogIds } {
  const customers = Array.from({ length: size.customers }, (_, i) => bigId(customerBase, i));
  const variants: string[] = [];
  const products = Array.from({ length: size.products }, (_, p) => {
    const ids = [0, 1].map((v) => bigId(variantBase, p * 2 + v));
    variants.push(...ids);
    return {
      id: gid('Product', bigId(productBase, p)),
      title: `Product ${p}`,
      handle: `product-${p}`,
      productType: 'Tea',
      status: 'ACTIVE',
      createdAt: '2026-10-01T10:00:00Z',
      updatedAt: '2026-11-01T10:00:00Z',
      featuredMedia: { preview: { image: { url: `https://cdn.example/p${p}.jpg` } } },
      variants: {
        nodes: ids.map((id, v) => ({
          id: gid('ProductVariant', id),
          title: v === 0 ? 'Small' : 'Large',
          price: `${10 + p}.50`,
          inventoryQuantity: v === 0 ? 0 : 7,
          inventoryPolicy: 'DENY',
          updatedAt: '2026-11-01T10:00:00Z',
          inventoryItem: { id: gid('InventoryItem', bigId(variantBase + 1000n, p * 2 + v)), tracked: true },
        })),
      },
    };
  });
  const orders = Array.from({ length: size.orders }, (_, i) => bigId(orderBase, i));
  const checkouts = Array.from({ length: size.checkouts }, (_, i) => bigId(checkoutBase, i));
  const customerOf = (i: number) => customers[i % customers.length] as string;
  const variantOf = (i: number) => variants[i % variants.length] as string;
  return {
    ids: { customers, orders, variants, checkouts },
    catalog: {
      customers: customers.map((id, i) => ({
        id: gid('Customer', id),
        firstName: `First${i}`,
        lastName: `Last${i}`,
        tags: ['vip', `t${i}`],
        createdAt: '2026-09-01T08:00:00Z',
        updatedAt: '2026-11-02T08:00:00Z',
        defaultEmailAddress: {
          emailAddress: `shopper${i}@example.com`,
          marketingState: i % 2 === 0 ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
          marketingUpdatedAt: '2026-09-01T08:00:00Z',
        },
        defaultAddress: { countryCodeV2: 'GB' },
      })),
      products,
      orders: orders.map((id, i) => ({
        id: gid('Order', id),
        email: `shopper${i % customers.length}@example.com`,
        createdAt: '2026-11-03T09:00:00Z',
        updatedAt: '2026-11-03T09:05:00Z',
        processedAt: '2026-11-03T09:00:00Z',
        cancelledAt: null,
        test: false,
        displayFinancialStatus: 'PAID',
        currencyCode: 'GBP',
        discountCodes: i === 0 ? ['WELCOME10'] : [],
        // The first order came from the checkout of test/fixtures/shopify/checkouts-create.json.
        checkoutToken: i === 0 ? checkoutsCreateToken : `checkout-token-${i}`,
        cartToken: null,
        totalPriceSet: { shopMoney: { amount: '23.00', currencyCode: 'GBP' } },
        customer: { id: gid('Customer', customerOf(i)), email: null, firstName: null, lastName: null },
        lineItems: {
          nodes: [
            {
              quantity: 2,
              name: 'Product line',
              variant: { id: gid('ProductVariant', variantOf(i)) },
              product: { id: gid('Product', bigId(productBase, 0)) },
              originalUnitPriceSet: { shopMoney: { amount: '11.50', currencyCode: 'GBP' } },
            },
          ],
        },
      })),
      abandonedCheckouts: checkouts.map((id, i) => ({
        id: gid('AbandonedCheckout', id),
        abandonedCheckoutUrl: `https://example-shop.myshopify.com/checkouts/recover/${id}`,
        createdAt: '2026-11-04T12:00:00Z',
        updatedAt: '2026-11-04T12:30:00Z',
        completedAt: null,
        totalPriceSet: { presentmentMoney: { amount: '31.00', currencyCode: 'GBP' } },
        customer: { id: gid('Customer', customerOf(i)), email: `shopper${i % customers.length}@example.com` },
        lineItems: {
          nodes: [
            {
              quantity: 1,
              title: 'Checkout line',
              variant: { id: gid('ProductVariant', variantOf(i + 1)) },
              product: null,
              originalUnitPriceSet: { presentmentMoney: { amount: '31.00', currencyCode: 'GBP' } },
            },
          ],
        },
      })),
    },
  };
}
