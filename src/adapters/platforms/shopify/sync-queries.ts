// The Admin GraphQL reads `rekindle shopify sync` pages through, one per
// resource, each `(first: $first, after: $after)` with `pageInfo { hasNextPage
// endCursor }` (shopify.dev/docs/api/usage/pagination-graphql). Fields, from
// the GraphQL Admin reference (2025-10):
// - customers: Customer (shopify.dev/docs/api/admin-graphql/latest/objects/Customer):
//   defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }
//   (CustomerEmailAddress, since 2025-04: shopify.dev/changelog/posts/
//   adding-defaultemailaddress-field-to-customer), defaultAddress { countryCodeV2 }, tags [String!].
// - orders: Order (…/objects/Order): displayFinancialStatus
//   (…/enums/OrderDisplayFinancialStatus), cancelledAt, test, currencyCode,
//   totalPriceSet { shopMoney { amount } }, discountCodes [String!],
//   lineItems { quantity name variant { id } product { id } originalUnitPriceSet };
//   from API version 2026-07 also checkoutToken and cartToken
//   (shopify.dev/changelog/new-checkouttoken-field-added-to-the-order-object,
//   …/new-field-carttoken-added-to-the-order-graphql-admin-api), asked for
//   only from that version on (earlier ones refuse an unknown field), so a
//   synced order converts the open cart its checkout left, as the webhook's does.
// - products: Product (…/objects/Product): status, handle, productType,
//   featuredMedia { preview { image { url } } }, variants { price
//   inventoryQuantity inventoryPolicy (…/enums/ProductVariantInventoryPolicy)
//   inventoryItem { id tracked } }.
// - abandonedCheckouts: AbandonedCheckout (…/objects/AbandonedCheckout):
//   abandonedCheckoutUrl, completedAt, totalPriceSet { presentmentMoney },
//   lineItems (AbandonedCheckoutLineItemConnection).
// Page sizes keep each query's requested cost under the 1,000-point maximum
// (a connection costs its `first` times its nodes' cost:
// shopify.dev/docs/api/usage/limits#cost-calculation): orders 4 x ~204,
// checkouts 4 x ~204, products 10 x ~65, customers 200 x 3. The nested
// connections are read once, up to 50 lines and 30 variants; a node with more
// says so (its pageInfo.hasNextPage) and is counted as truncated.

// Replaced per API version by syncQuery(); empty in the table below.
const orderTokens = '%ORDER_TOKENS%';

/** The first API version whose Order has checkoutToken and cartToken. */
export const orderTokensSince = '2026-07';

/** A resource's read for `apiVersion` ("YYYY-MM", or "unstable", which has everything). */
export function syncQuery(resource: SyncResource, apiVersion: string | undefined) {
  const read = syncQueries[resource];
  const tokens = apiVersion !== undefined && (apiVersion === 'unstable' || apiVersion >= orderTokensSince);
  return { ...read, query: read.query.replace(orderTokens, tokens ? ' checkoutToken cartToken' : '') };
}

export type SyncResource = 'customers' | 'orders' | 'products' | 'abandoned_checkouts';

export const syncResources: readonly SyncResource[] = [
  'customers',
  'products',
  'orders',
  'abandoned_checkouts',
];

export interface SyncQuery {
  /** The query root's connection field, where the answer's page is. */
  root: string;
  query: string;
  /** Nodes per page: at most 250, and small enough for the cost limit. */
  pageSize: number;
}

const page = 'pageInfo { hasNextPage endCursor }';

/** The nested connection whose first page only is read, per resource. */
export const nestedConnection: Record<SyncResource, string | null> = {
  customers: null,
  orders: 'lineItems',
  products: 'variants',
  abandoned_checkouts: 'lineItems',
};

export const syncQueries: Record<SyncResource, SyncQuery> = {
  customers: {
    root: 'customers',
    pageSize: 200,
    query: `query SyncCustomers($first: Int!, $after: String) {
  customers(first: $first, after: $after) {
    nodes {
      id firstName lastName tags createdAt updatedAt
      defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }
      defaultAddress { countryCodeV2 }
    }
    ${page}
  }
}`,
  },
  orders: {
    root: 'orders',
    pageSize: 4,
    query: `query SyncOrders($first: Int!, $after: String) {
  orders(first: $first, after: $after) {
    nodes {
      id email createdAt updatedAt processedAt cancelledAt test
      displayFinancialStatus currencyCode discountCodes${orderTokens}
      totalPriceSet { shopMoney { amount } }
      customer { id email firstName lastName }
      lineItems(first: 50) {
        nodes { quantity name variant { id } product { id } originalUnitPriceSet { shopMoney { amount } } }
        pageInfo { hasNextPage }
      }
    }
    ${page}
  }
}`,
  },
  products: {
    root: 'products',
    pageSize: 10,
    query: `query SyncProducts($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    nodes {
      id title handle productType status createdAt updatedAt
      featuredMedia { preview { image { url } } }
      variants(first: 30) {
        nodes { id title price inventoryQuantity inventoryPolicy updatedAt inventoryItem { id tracked } }
        pageInfo { hasNextPage }
      }
    }
    ${page}
  }
}`,
  },
  abandoned_checkouts: {
    root: 'abandonedCheckouts',
    pageSize: 4,
    query: `query SyncAbandonedCheckouts($first: Int!, $after: String) {
  abandonedCheckouts(first: $first, after: $after) {
    nodes {
      id abandonedCheckoutUrl createdAt updatedAt completedAt
      totalPriceSet { presentmentMoney { amount currencyCode } }
      customer { id email }
      lineItems(first: 50) {
        nodes { quantity title variant { id } product { id } originalUnitPriceSet { presentmentMoney { amount } } }
        pageInfo { hasNextPage }
      }
    }
    ${page}
  }
}`,
  },
};
