// The read side of the Shopify Admin stand-in (shopify-admin.ts): the
// connections `rekindle shopify sync` pages through, customers, orders,
// products and abandonedCheckouts, each `(first: Int, after: String)` →
// { nodes [...], pageInfo { hasNextPage endCursor } } as in Shopify's GraphQL
// Admin reference (shopify.dev/docs/api/usage/pagination-graphql; the
// queries at shopify.dev/docs/api/admin-graphql/latest/queries/customers,
// /orders, /products, /abandonedCheckouts). The nodes are the test's, in
// GraphQL shape; they are answered as given, whatever fields were selected.
//
// What the stand-in decides itself (not documented by Shopify): the cursor
// text (an opaque base64 of the position) and the cost (2 + first requested,
// 2 + nodes returned actual).

// biome-ignore lint/suspicious/noExplicitAny: GraphQL nodes as the test wrote them.
type Json = any;

export const readOperations = ['customers', 'orders', 'products', 'abandonedCheckouts'] as const;
export type ReadOperation = (typeof readOperations)[number];

export type Catalog = Partial<Record<ReadOperation, Json[]>>;

export function readCost(variables: Record<string, Json>): number {
  return 2 + Math.min(250, Number(variables.first ?? 0));
}

const cursorOf = (position: number) => btoa(`standin:${position}`);

function positionOf(cursor: unknown): number | null {
  if (cursor === null || cursor === undefined) return 0;
  try {
    const [tag, position] = atob(String(cursor)).split(':');
    return tag === 'standin' && Number.isSafeInteger(Number(position)) ? Number(position) : null;
  } catch {
    return null;
  }
}

/** The page asked for, or a GraphQL error text when the arguments are wrong. */
/**
 * Fields an API version may lack, and the first version that has them: Order's
 * checkoutToken and cartToken came in 2026-07 (shopify.dev/changelog/
 * new-checkouttoken-field-added-to-the-order-object, …/new-field-carttoken-
 * added-to-the-order-graphql-admin-api). An older version refuses a query that
 * names one, in GraphQL's words for an unknown field; a node is answered
 * without the ones the query did not ask for.
 */
const versionedFields: Partial<Record<ReadOperation, { type: string; since: string; fields: string[] }>> = {
  orders: { type: 'Order', since: '2026-07', fields: ['checkoutToken', 'cartToken'] },
};

export function answerRead(
  catalog: Catalog,
  operation: ReadOperation,
  variables: Record<string, Json>,
  request: { query: string; apiVersion: string } = { query: '', apiVersion: 'unstable' },
): { data: Record<string, unknown>; returned: number } | { error: string } {
  const versioned = versionedFields[operation];
  const asked = (versioned?.fields ?? []).filter((field) => new RegExp(`\\b${field}\\b`).test(request.query));
  if (
    versioned &&
    request.apiVersion !== 'unstable' &&
    request.apiVersion < versioned.since &&
    asked.length > 0
  ) {
    return { error: `Field '${asked[0]}' doesn't exist on type '${versioned.type}'` };
  }
  const unasked = (versioned?.fields ?? []).filter((field) => !asked.includes(field));
  const first = Number(variables.first);
  if (!Number.isSafeInteger(first) || first < 1 || first > 250) {
    return { error: 'The first argument must be between 1 and 250' };
  }
  const start = positionOf(variables.after);
  if (start === null) return { error: `Invalid cursor for current pagination sort.` };
  const all = catalog[operation] ?? [];
  const nodes = all.slice(start, start + first).map((node) => {
    if (unasked.length === 0) return node;
    const copy = { ...(node as Record<string, unknown>) };
    for (const field of unasked) delete copy[field];
    return copy;
  });
  const end = start + nodes.length;
  return {
    data: {
      [operation]: {
        nodes,
        pageInfo: { hasNextPage: end < all.length, endCursor: nodes.length > 0 ? cursorOf(end) : null },
      },
    },
    returned: nodes.length,
  };
}
