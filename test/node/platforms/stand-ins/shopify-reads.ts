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
export function answerRead(
  catalog: Catalog,
  operation: ReadOperation,
  variables: Record<string, Json>,
): { data: Record<string, unknown>; returned: number } | { error: string } {
  const first = Number(variables.first);
  if (!Number.isSafeInteger(first) || first < 1 || first > 250) {
    return { error: 'The first argument must be between 1 and 250' };
  }
  const start = positionOf(variables.after);
  if (start === null) return { error: `Invalid cursor for current pagination sort.` };
  const all = catalog[operation] ?? [];
  const nodes = all.slice(start, start + first);
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
