// A stand-in for Shopify's Admin GraphQL API, as a fetch handler (Web
// standard only, so the workerd tests can use it as their fetch too; over
// loopback HTTP through serve-fetch.ts in the node tests). It answers the
// operations coupons at checkout sends, with the request and response shapes
// of Shopify's GraphQL Admin reference (2025-10):
// discountCodeBasicCreate / discountCodeFreeShippingCreate → { codeDiscountNode
// { id } userErrors }, their Update twins, discountRedeemCodeBulkAdd →
// { bulkCreation { id } userErrors }, discountRedeemCodeBulkCreation(id) →
// { done codesCount importedCount failedCount codes { nodes { code errors } } },
// codeDiscountNodeByCode(code) → { id }. A code already taken is TAKEN
// (DiscountErrorCode). Every answer carries extensions.cost with its
// throttleStatus (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits);
// a call the bucket cannot cover is answered, HTTP 200, { errors: [{ message:
// "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost } }
// (the shape quoted on community.shopify.com, "GraphQL Admin API example
// throttled requests response"). A wrong token is HTTP 401 with Shopify's
// "[API] Invalid API key or access token" text. It records every call.
//
// The sync's reads (customers, orders, products, abandonedCheckouts) are
// answered from `catalog` by shopify-reads.ts.
//
// What the stand-in decides itself (not documented by Shopify): the error for
// more than 250 codes in one bulk add, and how many reads a bulk job takes.

import { answerRead, type Catalog, type ReadOperation, readCost, readOperations } from './shopify-reads.ts';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL input as received, read loosely like a server would.
type Json = any;

export interface Bucket {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface StandInDiscount {
  id: string;
  kind: 'basic' | 'free_shipping';
  /** The create input as received. */
  input: Record<string, unknown>;
  endsAt: string | null;
  /** Customer GIDs allowed (context.customers), or null for anyone. */
  customers: Set<string> | null;
  codes: string[];
}

export interface RecordedCall {
  operation: string;
  variables: Record<string, Json>;
  answer: 'ok' | 'throttled' | 'unauthorized' | 'failed';
}

export interface ShopifyStandIn {
  handle(request: Request): Promise<Response>;
  calls: RecordedCall[];
  discounts: Map<string, StandInDiscount>;
  /** Every code held, upper case → its discount's id. */
  codes: Map<string, string>;
  bucket: Bucket;
  /** The next `n` calls answer this HTTP status (an outage); after `after` more calls answered, when given. */
  failNext(n: number, status?: number, after?: number): void;
  /** These codes come back from a bulk job with an INVALID error. */
  refuse(code: string): void;
  /** Calls of one operation that were answered (not throttled or failed). */
  answered(operation: string): RecordedCall[];
}

const operations = [
  'discountCodeBasicCreate',
  'discountCodeBasicUpdate',
  'discountCodeFreeShippingCreate',
  'discountCodeFreeShippingUpdate',
  'discountRedeemCodeBulkAdd',
  'discountRedeemCodeBulkCreation',
  'codeDiscountNodeByCode',
  ...readOperations,
] as const;

export function createShopifyStandIn(
  options: {
    token?: string;
    clock?: () => number;
    bucket?: Partial<Bucket>;
    pollsUntilDone?: number;
    catalog?: Catalog;
  } = {},
): ShopifyStandIn {
  const token = options.token ?? 'shpat_standin';
  const clock = options.clock ?? Date.now;
  const bucket: Bucket = {
    maximumAvailable: 1000,
    currentlyAvailable: 1000,
    restoreRate: 100,
    ...options.bucket,
  };
  let refilledAt = clock();
  let failures: { after: number; left: number; status: number } = { after: 0, left: 0, status: 503 };
  const refused = new Set<string>();
  const discounts = new Map<string, StandInDiscount>();
  const codes = new Map<string, string>();
  const jobs = new Map<string, { reads: number; results: { code: string; errors: unknown[] }[] }>();
  const calls: RecordedCall[] = [];
  let serial = 1000;

  const refill = () => {
    const now = clock();
    bucket.currentlyAvailable = Math.min(
      bucket.maximumAvailable,
      bucket.currentlyAvailable + ((now - refilledAt) / 1000) * bucket.restoreRate,
    );
    refilledAt = now;
  };
  const cost = (requested: number, actual: number | null) => ({
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: { ...bucket },
  });

  function taken(field: string[]) {
    return [{ code: 'TAKEN', field, message: 'Code must be unique. Please try a different code.' }];
  }

  function createDiscount(kind: StandInDiscount['kind'], input: Record<string, Json>, root: string) {
    const code = String(input.code ?? '');
    if (!code || !input.title || !input.startsAt || !input.context) {
      return {
        codeDiscountNode: null,
        userErrors: [{ code: 'BLANK', field: [root], message: 'Missing fields' }],
      };
    }
    if (codes.has(code.toUpperCase())) return { codeDiscountNode: null, userErrors: taken([root, 'code']) };
    const id = `gid://shopify/DiscountCodeNode/${serial++}`;
    const customers = input.context.customers?.add ? new Set<string>(input.context.customers.add) : null;
    discounts.set(id, { id, kind, input, endsAt: input.endsAt ?? null, customers, codes: [code] });
    codes.set(code.toUpperCase(), id);
    return { codeDiscountNode: { id }, userErrors: [] };
  }

  function updateDiscount(id: string, input: Record<string, Json>) {
    const found = discounts.get(id);
    if (!found) {
      return {
        codeDiscountNode: null,
        userErrors: [{ code: 'INVALID', field: ['id'], message: 'Discount does not exist' }],
      };
    }
    if ('endsAt' in input) found.endsAt = input.endsAt;
    for (const customer of input.context?.customers?.add ?? []) found.customers?.add(customer);
    return { codeDiscountNode: { id }, userErrors: [] };
  }

  function bulkAdd(discountId: string, given: { code: string }[]) {
    const found = discounts.get(discountId);
    if (!found) {
      return {
        bulkCreation: null,
        userErrors: [{ code: 'INVALID', field: ['discountId'], message: 'Discount does not exist' }],
      };
    }
    if (given.length > 250) {
      return {
        bulkCreation: null,
        userErrors: [{ code: 'TOO_MANY_ARGUMENTS', field: ['codes'], message: 'At most 250 codes' }],
      };
    }
    const results = given.map(({ code }) => {
      if (codes.has(code.toUpperCase())) return { code, errors: taken(['code']) };
      if (refused.has(code))
        return { code, errors: [{ code: 'INVALID', field: ['code'], message: 'Code is invalid' }] };
      codes.set(code.toUpperCase(), discountId);
      found.codes.push(code);
      return { code, errors: [] };
    });
    const id = `gid://shopify/DiscountRedeemCodeBulkCreation/${serial++}`;
    jobs.set(id, { reads: 0, results });
    return { bulkCreation: { id }, userErrors: [] };
  }

  function readJob(id: string) {
    const job = jobs.get(id);
    if (!job) return null;
    job.reads++;
    const done = job.reads >= (options.pollsUntilDone ?? 1);
    const failed = job.results.filter((r) => r.errors.length > 0).length;
    return {
      done,
      codesCount: job.results.length,
      importedCount: done ? job.results.length - failed : 0,
      failedCount: done ? failed : 0,
      codes: { nodes: done ? job.results : [] },
    };
  }

  async function handle(request: Request): Promise<Response> {
    if (
      !/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(new URL(request.url).pathname) ||
      request.method !== 'POST'
    ) {
      return new Response('Not Found', { status: 404 });
    }
    const body = (await request.json()) as { query: string; variables?: Record<string, Json> };
    const operation =
      operations.find((name) => new RegExp(`\\b${name}\\s*\\(`).test(body.query)) ?? 'unknown';
    const variables = body.variables ?? {};
    const record = (answer: RecordedCall['answer']) => calls.push({ operation, variables, answer });
    if (request.headers.get('x-shopify-access-token') !== token) {
      record('unauthorized');
      return Response.json(
        { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
        { status: 401 },
      );
    }
    if (failures.left > 0 && failures.after > 0) failures.after--;
    else if (failures.left > 0) {
      failures.left--;
      record('failed');
      return new Response('Service Unavailable', { status: failures.status });
    }
    refill();
    const isRead = (readOperations as readonly string[]).includes(operation);
    const requested = isRead
      ? readCost(variables)
      : operation === 'discountRedeemCodeBulkCreation'
        ? 252
        : operation === 'codeDiscountNodeByCode'
          ? 2
          : 10;
    if (bucket.currentlyAvailable < requested) {
      record('throttled');
      return Response.json({
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: { cost: cost(requested, null) },
      });
    }
    let data: Record<string, unknown>;
    let actual = requested;
    if (isRead) {
      const apiVersion = new URL(request.url).pathname.split('/')[3] ?? '';
      const page = answerRead(options.catalog ?? {}, operation as ReadOperation, variables, {
        query: body.query,
        apiVersion,
      });
      if ('error' in page) {
        record('failed');
        return Response.json({ errors: [{ message: page.error }] });
      }
      actual = 2 + page.returned;
      bucket.currentlyAvailable -= actual;
      record('ok');
      return Response.json({ data: page.data, extensions: { cost: cost(requested, actual) } });
    }
    switch (operation) {
      case 'discountCodeBasicCreate':
        data = { [operation]: createDiscount('basic', variables.input, 'basicCodeDiscount') };
        break;
      case 'discountCodeFreeShippingCreate':
        data = { [operation]: createDiscount('free_shipping', variables.input, 'freeShippingCodeDiscount') };
        break;
      case 'discountCodeBasicUpdate':
      case 'discountCodeFreeShippingUpdate':
        data = { [operation]: updateDiscount(variables.id, variables.input) };
        break;
      case 'discountRedeemCodeBulkAdd':
        data = { [operation]: bulkAdd(variables.discountId, variables.codes) };
        break;
      case 'discountRedeemCodeBulkCreation': {
        const job = readJob(variables.id);
        actual = 2 + (job?.codes.nodes.length ?? 0);
        data = { [operation]: job };
        break;
      }
      case 'codeDiscountNodeByCode': {
        const id = codes.get(String(variables.code).toUpperCase());
        data = { [operation]: id ? { id } : null };
        break;
      }
      default:
        record('failed');
        return Response.json({ errors: [{ message: `the stand-in does not answer this operation` }] });
    }
    bucket.currentlyAvailable -= actual;
    record('ok');
    return Response.json({ data, extensions: { cost: cost(requested, actual) } });
  }

  return {
    handle,
    calls,
    discounts,
    codes,
    bucket,
    failNext(n, status = 503, after = 0) {
      failures = { after, left: n, status };
    },
    refuse(code) {
      refused.add(code);
    },
    answered(operation) {
      return calls.filter((c) => c.operation === operation && c.answer === 'ok');
    },
  };
}
