// The Node process's configuration, parsed once at each entry point and handed
// down. Nothing below the entry points reads process.env.
import { z } from 'zod';
import { isSafeLink, safeLinkRule } from '../core/safe-link.ts';
import { webhookSecretsIn } from './webhook-endpoints.ts';

/** The base every tracking and unsubscribe link in sent mail starts with: a safe link, as they must be. */
export const publicBaseUrl = z.string().refine(isSafeLink, { error: `must be ${safeLinkRule}` });

/**
 * The Admin API version Rekindle names unless SHOPIFY_API_VERSION (or the
 * CLI's --api-version) says otherwise: a supported one (Shopify supports each
 * for at least 12 months and serves the oldest supported to calls naming an
 * older one). From 2026-07, orders carry the tokens a sync converts carts by.
 */
export const defaultShopifyApiVersion = '2026-10';

/** The Shopify connector's env, the same in both homes; without the secret the connector is off. */
export const shopifyEnv = {
  /** The custom app's client secret: Shopify signs every webhook with it. */
  SHOPIFY_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** The shop's myshopify.com domain, e.g. my-shop.myshopify.com: product links, and deliveries from another shop refused. */
  SHOPIFY_SHOP_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'expected a domain like my-shop.myshopify.com')
    .optional(),
  /**
   * The custom app's Admin API access token (scope write_discounts): coupon
   * codes are created in Shopify before the mail that carries them is sent.
   * Unset: no code is made in Shopify.
   */
  SHOPIFY_ADMIN_TOKEN: z.string().min(1).optional(),
  /** The Admin API version the calls name (a stable quarterly release). */
  SHOPIFY_API_VERSION: z
    .string()
    .regex(/^\d{4}-(01|04|07|10)$/, `expected a stable Admin API version like ${defaultShopifyApiVersion}`)
    .default(defaultShopifyApiVersion),
};

function isHttpsOrLoopback(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
}

export interface CheckoutPlatformsConfig {
  shopify?: { shopDomain: string; adminToken: string; apiVersion: string } | undefined;
  woocommerce?: { url: string; key: string; secret: string } | undefined;
}

/** Which shop checkouts coupon codes are made at; a half-configured platform is refused, named. */
export function checkoutPlatformsConfig(config: {
  SHOPIFY_SHOP_DOMAIN?: string | undefined;
  SHOPIFY_ADMIN_TOKEN?: string | undefined;
  SHOPIFY_API_VERSION?: string | undefined;
  WOO_URL?: string | undefined;
  WOO_KEY?: string | undefined;
  WOO_SECRET?: string | undefined;
}): CheckoutPlatformsConfig {
  const result: CheckoutPlatformsConfig = {};
  if (config.SHOPIFY_ADMIN_TOKEN) {
    if (!config.SHOPIFY_SHOP_DOMAIN) {
      throw new ConfigError(
        'SHOPIFY_ADMIN_TOKEN is set without SHOPIFY_SHOP_DOMAIN: the Admin API is on the shop domain',
      );
    }
    result.shopify = {
      shopDomain: config.SHOPIFY_SHOP_DOMAIN,
      adminToken: config.SHOPIFY_ADMIN_TOKEN,
      apiVersion: config.SHOPIFY_API_VERSION ?? defaultShopifyApiVersion,
    };
  }
  const woo = [config.WOO_URL, config.WOO_KEY, config.WOO_SECRET];
  if (woo.some(Boolean)) {
    if (!woo.every(Boolean))
      throw new ConfigError('WOO_URL, WOO_KEY and WOO_SECRET go together: set all three');
    result.woocommerce = { url: config.WOO_URL!, key: config.WOO_KEY!, secret: config.WOO_SECRET! };
  }
  return result;
}

/** The Shopify connector the app is handed, or undefined when SHOPIFY_WEBHOOK_SECRET is unset. */
export function shopifyConnector(config: {
  SHOPIFY_WEBHOOK_SECRET?: string | undefined;
  SHOPIFY_SHOP_DOMAIN?: string | undefined;
}): { webhookSecret: string; shopDomain: string | undefined } | undefined {
  if (!config.SHOPIFY_WEBHOOK_SECRET) return undefined;
  return { webhookSecret: config.SHOPIFY_WEBHOOK_SECRET, shopDomain: config.SHOPIFY_SHOP_DOMAIN };
}

/** The WooCommerce connector's env, the same in both homes; without the secret the connector is off. */
export const wooCommerceEnv = {
  /** The secret of the shop's webhooks (WooCommerce > Settings > Advanced > Webhooks): each delivery is signed with it. */
  WOO_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** The customer meta_data key holding marketing consent; unset, webhooks leave consent as stored. */
  WOO_CONSENT_META_KEY: z.string().trim().min(1).optional(),
  /**
   * The REST API for coupons at checkout: the shop URL and a REST key with
   * write access (WooCommerce > Settings > Advanced > REST API); all three or
   * none. Basic auth is only sent over https (plain http only to this machine).
   */
  WOO_URL: z
    .url()
    .refine((url) => isHttpsOrLoopback(url), {
      error: 'must be the shop URL over https, like https://shop.example',
    })
    .optional(),
  WOO_KEY: z.string().min(1).optional(),
  WOO_SECRET: z.string().min(1).optional(),
};

/** The WooCommerce connector the app is handed, or undefined when WOO_WEBHOOK_SECRET is unset. */
export function wooCommerceConnector(config: {
  WOO_WEBHOOK_SECRET?: string | undefined;
  WOO_CONSENT_META_KEY?: string | undefined;
}): { webhookSecret: string; consentMetaKey: string | undefined } | undefined {
  if (!config.WOO_WEBHOOK_SECRET) return undefined;
  return { webhookSecret: config.WOO_WEBHOOK_SECRET, consentMetaKey: config.WOO_CONSENT_META_KEY };
}

/**
 * The public browse door's env, the same in both homes. The secret is held
 * by the shop too (its theme or plugin signs shopper tokens with it), so it
 * is never SIGNING_SECRET, whose holder could forge tracking links.
 */
export const browseEnv = {
  /** Signs shopper tokens (16+ characters); unset, POST /b/events answers 503. */
  SHOPPER_TOKEN_SECRET: z.string().min(16).optional(),
  /**
   * The origins whose pages may post browse events, comma-separated, exactly
   * as browsers send them (https://shop.example, `null` for a sandboxed
   * frame such as Shopify's custom pixels); unset, any origin (the token is
   * the credential).
   */
  BROWSE_ORIGINS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    )
    .refine((origins) => origins.every(isOrigin), {
      error: 'expected origins like https://shop.example (scheme, host, port if any; no path), or null',
    })
    .optional(),
};

function isOrigin(text: string): boolean {
  if (text === 'null') return true;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}

/** The browse door's secret and origins, or undefined when SHOPPER_TOKEN_SECRET is unset. */
export function browseDoorConfig(config: {
  SHOPPER_TOKEN_SECRET?: string | undefined;
  BROWSE_ORIGINS?: string[] | undefined;
  SIGNING_SECRET?: string | undefined;
}): { secret: string; origins: string[] | undefined } | undefined {
  if (!config.SHOPPER_TOKEN_SECRET) return undefined;
  if (config.SHOPPER_TOKEN_SECRET === config.SIGNING_SECRET) {
    throw new ConfigError(
      "SHOPPER_TOKEN_SECRET must differ from SIGNING_SECRET: the shop's theme or plugin holds it, and SIGNING_SECRET signs the tracking links",
    );
  }
  return { secret: config.SHOPPER_TOKEN_SECRET, origins: config.BROWSE_ORIGINS };
}

const nodeEnvSchema = z.object({
  DATABASE_URL: z.string().min(1).default('file:./data/rekindle.db'),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_BASE_URL: publicBaseUrl.default('http://localhost:8787'),
  /** Signs tracking and unsubscribe tokens; required outside local use. */
  SIGNING_SECRET: z.string().min(16).optional(),
  SMTP_URL: z.string().optional(),
  OUTBOX_DIR: z.string().default('./data/outbox'),
  CAMPAIGNS_DIR: z.string().default('./campaigns'),
  EMAILS_DIR: z.string().default('./emails'),
  /** DKIM signing: all three, or none (then messages go out unsigned). The key is PEM; "\\n" may stand for newlines. */
  DKIM_PRIVATE_KEY: z.string().min(1).optional(),
  DKIM_SELECTOR: z.string().min(1).optional(),
  DKIM_DOMAIN: z.string().min(1).optional(),
  /** The sender's own cap on messages started per sliding second; 0 = no cap. */
  SEND_RATE_PER_SECOND: z.coerce.number().min(0).default(0),
  /** SMTP connections kept open, and messages in flight at once. */
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
  /** Messages claimed from the outbox per batch. */
  SEND_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** Attempts before a temporarily failing message is given up. */
  SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /** The first retry's delay; each further one doubles it (with jitter). */
  SEND_RETRY_BASE_SECONDS: z.coerce.number().min(0).default(60),
  /** How long a claim holds: a crashed sender's messages are retried after this. */
  SEND_LEASE_SECONDS: z.coerce.number().min(1).default(300),
  /** The mailto half of List-Unsubscribe; defaults to the shop's reply-to or from address. */
  UNSUBSCRIBE_MAILTO: z.string().min(3).optional(),
  ...shopifyEnv,
  ...wooCommerceEnv,
  ...browseEnv,
});

export type NodeConfig = z.output<typeof nodeEnvSchema> & {
  /** The EVENTS_SIGNING_SECRET* variables the settings' webhooks may name (config/webhook-endpoints.ts). */
  webhookSecrets?: Readonly<Record<string, string>> | undefined;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseNodeEnv(env: Record<string, string | undefined>): NodeConfig {
  const parsed = nodeEnvSchema.safeParse(env);
  if (parsed.success) return { ...parsed.data, webhookSecrets: webhookSecretsIn(env) };
  const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid environment:\n  ${lines.join('\n  ')}`);
}

/**
 * Signs links only on a local run: anyone with the source can forge links
 * signed with it. The same value as the delivery wiring's local-only key, so
 * `rekindle send` and `rekindle serve` agree on a machine with no secret set.
 */
export const localOnlySigningSecret = 'rekindle-local-only-signing-secret';

export interface SigningSecret {
  secret: string;
  /** True when the local-only key stands in because none was set. */
  generated: boolean;
}

/**
 * The secret that signs tracking and unsubscribe links. Unset is allowed only
 * while PUBLIC_BASE_URL is local (the demo, development); a public base URL
 * without a secret is refused, since links would be forgeable.
 */
export function resolveSigningSecret(
  config: Pick<NodeConfig, 'SIGNING_SECRET' | 'PUBLIC_BASE_URL'>,
): SigningSecret {
  if (config.SIGNING_SECRET) return { secret: config.SIGNING_SECRET, generated: false };
  const host = new URL(config.PUBLIC_BASE_URL).hostname;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(host) && !host.endsWith('.localhost')) {
    throw new ConfigError(
      'SIGNING_SECRET must be set (at least 16 characters) when PUBLIC_BASE_URL is not local: it signs the tracking and unsubscribe links in sent mail',
    );
  }
  return { secret: localOnlySigningSecret, generated: true };
}
