// The OpenAPI 3.1 document served at GET /v1/openapi.json. Request bodies and
// query parameters come from the very zod schemas the routes validate with
// (see schemas.ts); responses and paths are described here. A pure function:
// no I/O, no clock. test/node/http/openapi.test.ts fails when a route the app
// registers is missing here, so add a route's entry with the route.
import type { ApiScope } from '../../core/api-keys.ts';
import { ingestSchemas } from '../../core/ingest/records.ts';
import { redeemCouponInput, validateCouponInput } from '../../core/offers/api-input.ts';
import { shopperBatchSchema } from '../../core/tracking/browse-door.ts';
import { browseEventSchema } from '../../core/tracking/browse-events.ts';
import { providerEventSchema } from '../../core/tracking/provider-events.ts';
import { sessionCookie } from '../pages/dashboard/session.ts';
import { previewQuery } from '../routes/campaigns.ts';
import { maxEventsPerCall } from '../routes/events.ts';
import { maxRowsPerCall } from '../routes/ingest.ts';
import { sweepBody } from '../routes/sweeps.ts';
import { extraPaths } from './public-paths.ts';
import { rangeParameters, reportMeta, reportSchemas } from './report-schemas.ts';
import { responseSchemas } from './response-schemas.ts';
import { convertInputSchemas, type JsonSchema } from './schemas.ts';
import { errorComponents, errors, json, ok, ref } from './shared.ts';

export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths: Record<string, PathItem> };
export type PathItem = Record<string, JsonSchema>;

const ingestNames = {
  customers: 'Customer',
  orders: 'Order',
  carts: 'Cart',
  products: 'Product',
  waitlist: 'WaitlistEntry',
} as const;

export function buildOpenApiDocument(): OpenApiDocument {
  const converted = convertInputSchemas({
    ...Object.fromEntries(Object.entries(ingestSchemas).map(([k, s]) => [ingestNames[k as never], s])),
    SweepRequest: sweepBody,
    CouponValidateRequest: validateCouponInput,
    RedemptionRequest: redeemCouponInput,
    ProviderEvent: providerEventSchema,
    BrowseEvent: browseEventSchema,
    ShopperBrowseBatch: shopperBatchSchema,
    PreviewQuery: previewQuery,
  });
  const { PreviewQuery: preview, ...bodies } = converted.schemas;
  const vague =
    converted.fallbacks.length === 0
      ? 'Every request schema is generated from the schema the route validates with.'
      : `Generated from the validating schemas except ${converted.fallbacks.join(', ')}, which could not be converted and are described loosely.`;

  const paths: Record<string, PathItem> = {
    '/v1/openapi.json': {
      get: {
        tags: ['meta'],
        summary: 'This document',
        security: [],
        responses: { '200': ok('The OpenAPI 3.1 document', { type: 'object' }) },
      },
    },
    ...ingestPaths(),
    '/v1/sweeps': {
      post: secured('sweeps', {
        tags: ['sweeps'],
        summary: 'Run one sweep (real or dry) and get the per-campaign report',
        description:
          'dry_run is required (true plans and reports without writing; false runs a real sweep and schedules mail), so an empty body is a 400. Answers 503 campaigns_unavailable when no valid campaign set is loaded.',
        requestBody: { required: true, content: json(ref('SweepRequest')) },
        responses: {
          '200': ok('The sweep report', ref('SweepReport')),
          ...errors(400, 401, 403, 413, 415),
          '503': errorResponse('No valid campaign set is loaded'),
        },
      }),
    },
    '/v1/coupons/validate': {
      post: secured('coupons', {
        tags: ['coupons'],
        summary: 'Check a coupon code at checkout',
        description:
          'An invalid code is an answer, not an error: 200 with { valid: false, reason } (unknown, not_sent, wrong_customer, expired, used, wrong_currency, below_minimum). Rate-limited per key and per code.',
        requestBody: { required: true, content: json(ref('CouponValidateRequest')) },
        responses: {
          '200': ok('The verdict', ref('CouponVerdict')),
          ...errors(400, 401, 403, 413, 415, 429),
        },
      }),
    },
    '/v1/redemptions': {
      post: secured('coupons', {
        tags: ['coupons'],
        summary: 'Record that an order used a coupon',
        description:
          'The same order and code again answers 200 with the first redemption. 404 coupon_unknown; 409 coupon_<reason> (used, expired, not_sent...) or order_already_redeemed. Rate-limited per key and per code.',
        requestBody: { required: true, content: json(ref('RedemptionRequest')) },
        responses: {
          '200': ok('This order already redeemed this code', ref('Redemption')),
          '201': ok('Redeemed', ref('Redemption')),
          ...errors(400, 401, 403, 404, 409, 413, 415, 429),
        },
      }),
    },
    '/v1/events': {
      post: secured('ingest', {
        tags: ['events'],
        summary: 'Delivery, bounce and complaint events from a mail provider',
        description: `One event or a list of 1-${maxEventsPerCall}, validated whole first. Hard bounces and complaints suppress the address; unknown message ids are reported back, not refused.`,
        requestBody: { required: true, content: json(oneOrList('ProviderEvent', maxEventsPerCall)) },
        responses: {
          '200': ok('What was applied', {
            type: 'object',
            required: ['received'],
            properties: { received: { type: 'integer' } },
            additionalProperties: true,
          }),
          ...errors(400, 401, 403, 413, 415),
        },
      }),
    },
    '/v1/events/browse': {
      post: secured('ingest', {
        tags: ['events'],
        summary: 'What shoppers looked at: products and categories viewed, searches',
        description: `One event or a list of 1-${maxEventsPerCall}, validated whole first (an event more than five minutes in the future is refused). Each names its shopper by customer_id or email; events for shoppers who are not customers (or were erased) are reported back by row, events older than the settings' browse retention are not stored, and an event already stored is not stored again.`,
        requestBody: { required: true, content: json(oneOrList('BrowseEvent', maxEventsPerCall)) },
        responses: {
          '200': ok('What was stored', {
            type: 'object',
            required: ['received', 'stored', 'duplicates', 'past_retention', 'unknown'],
            properties: {
              received: { type: 'integer' },
              stored: { type: 'integer' },
              duplicates: { type: 'integer' },
              past_retention: { type: 'integer' },
              unknown: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['row'],
                  properties: { row: { type: 'integer' } },
                  additionalProperties: false,
                },
                description: 'Rows (0-based) whose shopper is no customer here.',
              },
            },
            additionalProperties: false,
          }),
          ...errors(400, 401, 403, 413, 415),
        },
      }),
    },
    '/v1/campaigns/{id}/preview': {
      get: {
        ...secured('reports', {
          tags: ['campaigns'],
          summary: "A campaign step's email as a customer (or a sample shopper) would get it",
          description:
            'Never issues a coupon or writes. A dashboard session cookie is accepted instead of a bearer key. Answers 503 preview_unavailable without a campaign set or renderer.',
          parameters: [pathId('campaign id'), ...queryParameters(preview ?? {})],
          responses: {
            '200': {
              description: 'The email: HTML (default), text, or JSON with subject, html and text',
              content: {
                'text/html': { schema: { type: 'string' } },
                'text/plain': { schema: { type: 'string' } },
                'application/json': { schema: { type: 'object' } },
              },
            },
            ...errors(400, 401, 403, 404),
            '503': errorResponse('No campaign set or email renderer'),
          },
        }),
        security: [{ bearerAuth: ['reports'] }, { dashboardSession: [] }],
      },
    },
    '/v1/reports/campaigns': {
      get: secured('reports', {
        tags: ['reports'],
        summary: 'What each campaign brought back, with lift over the holdout',
        parameters: rangeParameters,
        responses: {
          '200': ok('Per-campaign reports (without daily rows)', {
            type: 'object',
            properties: { ...reportMeta, campaigns: { type: 'array', items: ref('CampaignReport') } },
          }),
          ...errors(400, 401, 403),
        },
      }),
    },
    '/v1/reports/campaigns/{id}': {
      get: secured('reports', {
        tags: ['reports'],
        summary: "One campaign's report, per step and per day",
        parameters: [pathId('campaign id'), ...rangeParameters],
        responses: {
          '200': ok('The campaign report', {
            type: 'object',
            properties: { ...reportMeta, campaign: ref('CampaignReport') },
          }),
          ...errors(400, 401, 403, 404),
        },
      }),
    },
    '/v1/customers/{id}/export': {
      get: secured('privacy', {
        tags: ['privacy'],
        summary: 'Everything stored about a customer',
        parameters: [pathId('customer id')],
        responses: { '200': ok('The export', { type: 'object' }), ...errors(401, 403, 404) },
      }),
    },
    '/v1/customers/{id}': {
      delete: secured('privacy', {
        tags: ['privacy'],
        summary: "Erase a customer's personal data (counts kept, address kept only as a hash)",
        parameters: [pathId('customer id')],
        responses: {
          '200': ok('Erased', {
            type: 'object',
            properties: {
              id: { type: 'string' },
              erased: { const: true },
              erased_at: { type: 'string', format: 'date-time' },
            },
          }),
          ...errors(401, 403, 404),
        },
      }),
    },
  };
  Object.assign(paths, extraPaths());

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Rekindle HTTP API',
      version: '1',
      description: `JSON under /v1 with bearer API keys; each operation names the scope it needs (x-scopes). Bodies over the size limit (2 MiB) get 413. Errors are { error: { code, message, details } }. ${vague}`,
    },
    tags: [
      'ingest',
      'sweeps',
      'coupons',
      'events',
      'campaigns',
      'reports',
      'privacy',
      'public',
      'dashboard',
      'meta',
    ].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...bodies, ...responseSchemas, ...reportSchemas, ...errorComponents.schemas },
      responses: errorComponents.responses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key from `rekindle keys create --scopes ...`. Scopes: ingest, coupons, sweeps, reports, privacy, admin (all).',
        },
        dashboardSession: { type: 'apiKey', in: 'cookie', name: sessionCookie },
      },
    },
  };
}

function ingestPaths(): Record<string, PathItem> {
  const entries = Object.entries(ingestNames).map(([kind, name]) => [
    `/v1/${kind}`,
    {
      post: secured('ingest', {
        tags: ['ingest'],
        summary: `Upsert ${kind} by external id`,
        description: `One record or a list of 1-${maxRowsPerCall}. A list is all-or-nothing: every row is validated first (errors name row and field) and the write is one atomic batch; repeated ids in one call are refused.`,
        requestBody: { required: true, content: json(oneOrList(name, maxRowsPerCall)) },
        responses: {
          '200': ok('Stored', {
            type: 'object',
            required: ['stored'],
            properties: { stored: { type: 'integer', minimum: 1 } },
          }),
          ...errors(400, 401, 403, 413, 415),
        },
      }),
    },
  ]);
  return Object.fromEntries(entries);
}

function secured(scope: ApiScope, operation: JsonSchema): JsonSchema {
  const note = `Needs an API key with the \`${scope}\` scope (or \`admin\`).`;
  const description = operation.description ? `${operation.description as string}\n\n${note}` : note;
  return { ...operation, description, security: [{ bearerAuth: [scope] }], 'x-scopes': [scope] };
}

function oneOrList(name: string, max: number): JsonSchema {
  return { oneOf: [ref(name), { type: 'array', minItems: 1, maxItems: max, items: ref(name) }] };
}

function pathId(description: string): JsonSchema {
  return { name: 'id', in: 'path', required: true, description, schema: { type: 'string' } };
}

function queryParameters(schema: JsonSchema): JsonSchema[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}

function errorResponse(description: string): JsonSchema {
  return { description, content: json(ref('ErrorBody')) };
}
