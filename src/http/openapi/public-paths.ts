// The OpenAPI entries for routes outside the JSON API: the health check, the
// signed-token tracking routes the emails point at (pixel, click redirect,
// unsubscribe), the browse door for shoppers' pages (its script and its
// shopper-token posts), the shop platforms' signed webhooks and the
// server-rendered dashboard. Documented so the document lists every route the app serves;
// they answer images, redirects, HTML and the webhooks' JSON.
import { browsePaths, maxShopperBodyBytes, maxShopperEvents } from '../../core/tracking/browse-door.ts';
import type { JsonSchema } from './schemas.ts';
import { errors, ok, ref } from './shared.ts';

type PathItem = Record<string, JsonSchema>;

const html = (description: string): JsonSchema => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
});
const redirect = (description: string): JsonSchema => ({
  description,
  headers: { Location: { schema: { type: 'string' } } },
});
const token = (name: string, description: string): JsonSchema => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', maxLength: 512 },
});
const publicRoute = { tags: ['public'], security: [] };
const refused = (description: string): JsonSchema => ok(description, ref('ErrorBody'));
const dashboard = {
  tags: ['dashboard'],
  security: [{ bearerAuth: ['reports'] }, { dashboardSession: [] }],
  'x-scopes': ['reports'],
};
const unsubscribeToken = token('token', 'signed unsubscribe token from the email');
const dayParameter = (name: string, description: string): JsonSchema => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', format: 'date' },
});
// As the report API takes them; without either, the last 30 days.
const rangeParameters = [
  dayParameter(
    'from',
    "first day shown (the shop's time zone); absent with to: the last 30 days; blank: no bound",
  ),
  dayParameter('to', 'last day shown, included'),
];

export function extraPaths(): Record<string, PathItem> {
  return {
    '/healthz': {
      get: {
        ...publicRoute,
        summary: 'Checks the database',
        responses: {
          '200': ok('Healthy', { type: 'object', properties: { ok: { const: true } } }),
          '503': ok('The database does not answer', { type: 'object', properties: { ok: { const: false } } }),
        },
      },
    },
    '/t/o/{file}': {
      get: {
        ...publicRoute,
        summary: 'Open pixel: <signed token>.gif; a 1x1 GIF, never cached',
        parameters: [token('file', 'the signed open token followed by .gif')],
        responses: {
          '200': { description: 'The pixel', content: { 'image/gif': {} } },
          ...errors(404),
        },
      },
    },
    '/t/c/{token}': {
      get: {
        ...publicRoute,
        summary: 'Click redirect, only to a link the email contained',
        parameters: [token('token', 'signed click token')],
        responses: { '302': redirect('To the link in the email'), ...errors(404) },
      },
    },
    '/u/{token}': {
      get: {
        ...publicRoute,
        summary: 'Unsubscribe page; changes nothing until its button is pressed',
        parameters: [unsubscribeToken],
        responses: { '200': html('The confirmation page'), ...errors(404) },
      },
      post: {
        ...publicRoute,
        summary: 'Unsubscribe (the page button, or RFC 8058 List-Unsubscribe=One-Click)',
        parameters: [unsubscribeToken],
        responses: { '200': html('Unsubscribed'), ...errors(404) },
      },
    },
    [browsePaths.events]: {
      post: {
        ...publicRoute,
        summary:
          "A signed-in shopper's browse events, from the shop's pages (the browse script, a Shopify pixel)",
        description: `Authenticated by the shopper token in the body (<customer id>.<hex HMAC-SHA256 of "rekindle-shopper:<customer id>"> with SHOPPER_TOKEN_SECRET), not by an API key. Up to ${maxShopperEvents} events and ${maxShopperBodyBytes} bytes; the events are the token's customer's, at the server's time, recorded as POST /v1/events/browse records them (a shopper who is no customer yet is stored nothing). JSON sent as text/plain (what navigator.sendBeacon sends, no preflight) or application/json. CORS: any origin, or those in BROWSE_ORIGINS; preflights are answered. Rate-limited per shopper.`,
        requestBody: {
          required: true,
          content: {
            'text/plain': { schema: ref('ShopperBrowseBatch') },
            'application/json': { schema: ref('ShopperBrowseBatch') },
          },
        },
        responses: {
          '204': { description: 'Recorded (nothing is stored for a shopper who is not a customer)' },
          ...errors(400, 413, 429),
          '401': refused(
            'The shopper token is missing, forged or altered (invalid_shopper_token): nothing was stored',
          ),
          '403': refused("The page's Origin is not in BROWSE_ORIGINS (origin_not_allowed)"),
          '415': refused('The body was not sent as text/plain or application/json (unsupported_media_type)'),
          '503': refused('SHOPPER_TOKEN_SECRET is not set (not_configured)'),
        },
      },
    },
    [browsePaths.script]: {
      get: {
        ...publicRoute,
        summary: 'The browse script a shop embeds (no dependencies; cached for an hour)',
        responses: { '200': { description: 'The script', content: { 'text/javascript': {} } } },
      },
    },
    '/webhooks/shopify': {
      post: {
        tags: ['webhooks'],
        security: [],
        summary:
          'Every Shopify webhook topic (X-Shopify-Topic), signed with X-Shopify-Hmac-Sha256; a redelivery (X-Shopify-Webhook-Id) is answered and not applied again',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses: {
          '200': ok('Applied, or a duplicate, stale, skipped or unknown topic (outcome says which)', {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              topic: { type: 'string' },
              outcome: { enum: ['applied', 'duplicate', 'stale', 'skipped'] },
              note: { type: 'string' },
            },
          }),
          ...errors(400, 413),
          '401': ok('A missing or wrong signature, or a delivery for another shop: nothing was read', {
            type: 'object',
          }),
          '503': ok('SHOPIFY_WEBHOOK_SECRET is not set, or the work must wait: Shopify delivers again', {
            type: 'object',
          }),
        },
      },
    },
    '/webhooks/woocommerce': {
      post: {
        tags: ['webhooks'],
        security: [],
        summary:
          'WooCommerce webhook delivery (order.*, customer.*, product.*), signed in X-WC-Webhook-Signature; the same state again is answered and not applied again',
        parameters: [
          {
            name: 'X-WC-Webhook-Signature',
            in: 'header',
            required: false,
            description:
              'base64 HMAC-SHA256 of the raw body with the webhook secret (absent only on the creation ping)',
            schema: { type: 'string' },
          },
          {
            name: 'X-WC-Webhook-Topic',
            in: 'header',
            required: false,
            description: 'e.g. order.updated',
            schema: { type: 'string' },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', description: 'the resource as the REST API (wc/v3) returns it' },
            },
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', properties: { webhook_id: { type: 'string' } } },
            },
          },
        },
        responses: {
          '200': ok('Applied, or understood and not applied (outcome says which)', {
            type: 'object',
            required: ['ok', 'outcome'],
            properties: {
              ok: { type: 'boolean' },
              topic: { type: 'string' },
              outcome: { enum: ['applied', 'duplicate', 'stale', 'ignored', 'ping'] },
              resource_id: { type: 'string' },
              note: { type: 'string' },
            },
          }),
          ...errors(400, 413),
          '401': ok('A missing or wrong signature: nothing was read', { type: 'object' }),
          '503': ok(
            'WOO_WEBHOOK_SECRET is not set (the creation ping included), or the shop settings are not loaded',
            { type: 'object' },
          ),
        },
      },
    },
    '/dashboard': {
      get: {
        ...dashboard,
        summary: 'Campaign list (HTML); without a session a browser is sent to /dashboard/login',
        parameters: rangeParameters,
        responses: {
          '200': html('The page'),
          '303': redirect('To the sign-in page'),
          '400': html('A bad date range'),
        },
      },
    },
    '/dashboard/campaigns/{id}': {
      get: {
        ...dashboard,
        summary:
          "One campaign's page: funnel, daily charts (revenue per currency), rates, money per currency, mailed vs holdout, clicks per link, previews",
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          ...rangeParameters,
        ],
        responses: {
          '200': html('The page'),
          '303': redirect('To the sign-in page'),
          '400': html('A bad date range'),
          '404': html('No such campaign'),
        },
      },
    },
    '/dashboard/login': {
      get: {
        tags: ['dashboard'],
        security: [],
        summary: 'Sign-in form',
        responses: { '200': html('The form') },
      },
      post: {
        tags: ['dashboard'],
        security: [],
        summary: "Sign in with an API key holding the 'reports' scope; sets an HttpOnly session cookie",
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
            },
          },
        },
        responses: {
          '303': redirect('Signed in, to /dashboard'),
          '401': html('Unknown or revoked key'),
          '403': html("The key lacks the 'reports' scope"),
          '413': html('Too long to be a key'),
        },
      },
    },
    '/dashboard/logout': {
      post: {
        tags: ['dashboard'],
        security: [],
        summary: 'Sign out',
        responses: { '303': redirect('To /dashboard/login') },
      },
    },
  };
}
