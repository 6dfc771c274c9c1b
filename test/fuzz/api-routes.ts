// Generated requests for every authenticated /v1 route: the ingestion kinds
// and events (one record or a list, up to the 1,000-row limit and past it),
// coupons, redemptions, sweeps, the email preview, reports and the privacy
// routes. Each request is assembled from request-parts.ts. Pure fast-check.
import fc from 'fast-check';
import type { ApiScope } from '../../src/core/api-keys.ts';
import { triggerTypes } from '../../src/core/campaigns/trigger-block.ts';
import type { FuzzCase, FuzzContext, RouteName } from './fuzz-case.ts';
import { browseEventRecord, type IngestRoute, ingestRecords, providerEventRecord } from './ingest-records.ts';
import { authPart, contentTypePart, encodedBody, mutatedRecord } from './request-parts.ts';
import {
  amount,
  currencyCode,
  externalIdText,
  hostileString,
  idPool,
  instantText,
  wrongValue,
} from './values.ts';

type Body = { value: unknown; how: string };
type Row = Record<string, unknown>;

/** POST `path` with a JSON body drawn from `body`, under every auth and encoding variant. */
function jsonPost(
  route: RouteName,
  path: string,
  scope: ApiScope,
  ctx: FuzzContext,
  body: fc.Arbitrary<Body>,
) {
  return fc.tuple(body, authPart(ctx, scope), contentTypePart).chain(([b, auth, type]) =>
    encodedBody(b.value).map(
      (encoded): FuzzCase => ({
        route,
        auth: auth.auth,
        bodyType: encoded.body === undefined || encoded.body.length === 0 ? 'no-body' : type.bodyType,
        label: [
          b.how,
          encoded.encoding,
          type.headers['content-type'] ?? 'no content-type',
          `auth ${auth.auth}`,
        ]
          .filter(Boolean)
          .join('; '),
        request: {
          method: 'POST',
          path,
          headers: { ...type.headers, ...auth.headers },
          body: encoded.body,
          chunked: encoded.chunked,
        },
      }),
    ),
  );
}

/** One record, a list (ids made unique, or not), a list with one bad row, or a list at or past `maxRows`. */
function listBody(record: fc.Arbitrary<Row>, maxRows: number): fc.Arbitrary<Body> {
  const unique = (rows: Row[]) =>
    rows.map((row, i) => ('id' in row ? { ...row, id: `${String(row.id)}-${i}` } : row));
  return fc.oneof(
    { arbitrary: record.map((value) => ({ value, how: 'one record' })), weight: 30 },
    {
      arbitrary: fc
        .tuple(fc.array(record, { minLength: 1, maxLength: 5 }), fc.boolean())
        .map(([rows, same]) => ({ value: same ? rows : unique(rows), how: `list of ${rows.length}` })),
      weight: 20,
    },
    {
      arbitrary: record.chain(mutatedRecord).map(({ value, how }) => ({ value, how: `one record, ${how}` })),
      weight: 25,
    },
    {
      arbitrary: fc
        .tuple(fc.array(record, { minLength: 1, maxLength: 4 }), record.chain(mutatedRecord), fc.nat())
        .map(([rows, bad, at]) => {
          const list: unknown[] = unique(rows);
          list.splice(at % (list.length + 1), 0, bad.value);
          return { value: list, how: `list with one bad row (${bad.how})` };
        }),
      weight: 8,
    },
    { arbitrary: fc.constant({ value: [], how: 'empty list' }), weight: 1 },
    {
      arbitrary: fc.tuple(record, fc.constantFrom(maxRows, maxRows + 1)).map(([row, n]) => ({
        value: Array.from({ length: n }, (_, i) => ({ ...row, id: `bulk-${i}` })),
        how: `list of ${n}`,
      })),
      weight: 1,
    },
  );
}

/** One object, mutated now and then, or sent as a list. */
function objectBody(record: fc.Arbitrary<Row>): fc.Arbitrary<Body> {
  return fc.oneof(
    { arbitrary: record.map((value) => ({ value, how: 'valid shape' })), weight: 12 },
    { arbitrary: record.chain(mutatedRecord), weight: 7 },
    { arbitrary: record.map((value) => ({ value: [value], how: 'wrapped in a list' })), weight: 1 },
  );
}

function couponCode(ctx: FuzzContext): fc.Arbitrary<unknown> {
  const known = fc.constantFrom(...ctx.couponCodes);
  return fc.oneof(
    { arbitrary: known, weight: 6 },
    { arbitrary: known.map((code) => ` ${code.toLowerCase()} `), weight: 1 },
    { arbitrary: known.map((code) => code.replaceAll('-', '')), weight: 1 },
    { arbitrary: fc.constantFrom('BACK-SAMPLE', 'WELCOME10', 'back-0000-0000'), weight: 1 },
    { arbitrary: hostileString, weight: 1 },
    { arbitrary: wrongValue, weight: 1 },
  );
}

const customerId = fc.oneof(
  { arbitrary: fc.constantFrom(...idPool), weight: 3 },
  { arbitrary: externalIdText, weight: 1 },
);

function validateBody(ctx: FuzzContext) {
  return fc.record(
    { code: couponCode(ctx), customer_id: customerId, subtotal: amount, currency: currencyCode },
    { requiredKeys: ['code', 'subtotal', 'currency'] },
  );
}

function redeemBody(ctx: FuzzContext) {
  return fc.record(
    {
      code: couponCode(ctx),
      order_id: fc.oneof(fc.constantFrom('o1', 'o2', 'o-new'), externalIdText),
      customer_id: customerId,
      currency: currencyCode,
      order_total: amount,
      discount: amount,
    },
    { requiredKeys: ['code', 'order_id', 'currency', 'order_total'] },
  );
}

function sweepBody(ctx: FuzzContext) {
  return fc.record(
    {
      dry_run: fc.oneof(
        { arbitrary: fc.constant(true), weight: 6 },
        { arbitrary: fc.constant(false), weight: 2 },
        {
          arbitrary: wrongValue,
          weight: 1,
        },
      ),
      now: instantText,
      campaign: fc.oneof(fc.constantFrom(...ctx.campaignIds), hostileString),
      only: fc.oneof(
        fc.subarray([...triggerTypes], { minLength: 1 }),
        fc.array(fc.oneof(fc.constantFrom(...triggerTypes), hostileString), { maxLength: 3 }),
      ),
    },
    { requiredKeys: [] },
  );
}

/** The authenticated /v1 routes that take JSON bodies. */
export function jsonRouteCases(ctx: FuzzContext): Partial<Record<RouteName, fc.Arbitrary<FuzzCase>>> {
  const ingest = Object.fromEntries(
    (Object.keys(ingestRecords) as IngestRoute[]).map((kind) => [
      kind,
      jsonPost(kind, `/v1/${kind}`, 'ingest', ctx, listBody(ingestRecords[kind] as fc.Arbitrary<Row>, 1000)),
    ]),
  );
  return {
    ...ingest,
    events: jsonPost(
      'events',
      '/v1/events',
      'ingest',
      ctx,
      listBody(providerEventRecord(ctx.messageRefs), 1000),
    ),
    browse: jsonPost(
      'browse',
      '/v1/events/browse',
      'ingest',
      ctx,
      listBody(browseEventRecord(ctx.customerIds), 1000),
    ),
    'coupons-validate': jsonPost(
      'coupons-validate',
      '/v1/coupons/validate',
      'coupons',
      ctx,
      objectBody(validateBody(ctx)),
    ),
    redemptions: jsonPost('redemptions', '/v1/redemptions', 'coupons', ctx, objectBody(redeemBody(ctx))),
    sweeps: jsonPost('sweeps', '/v1/sweeps', 'sweeps', ctx, objectBody(sweepBody(ctx))),
  };
}
