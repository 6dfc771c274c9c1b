// The public door for browse events: what a shop's pages (the browse script,
// a Shopify pixel, a WooCommerce theme) post, and where. One owner of the
// paths, the body and its bounds, which the route, the script and the
// platform snippets all build from. The body is JSON, sent as text/plain so a
// browser posts it without a CORS preflight (navigator.sendBeacon sends
// strings so); the shopper token is in the body, not the URL, so no access
// log keeps it.
import { z } from 'zod';
import { shopperEventSchema } from './browse-events.ts';
import { maxShopperTokenLength } from './shopper-token.ts';

const folder = '/b/';
/** The events path relative to the script's own address, so the script finds it behind any path prefix. */
export const browseEventsName = 'events';

export const browsePaths = {
  /** POST: a batch of the shopper's events. */
  events: `${folder}${browseEventsName}`,
  /** GET: the script a shop embeds. */
  script: `${folder}browse.js`,
} as const;

/** Events one post may carry (the script sends at most browseScriptBatch). */
export const maxShopperEvents = 50;
/** A post's body: 50 events at their longest fit in it. */
export const maxShopperBodyBytes = 32 * 1024;

/** POST /b/events: `{ shopper: "<shopper token>", events: [...] }`. */
export const shopperBatchSchema = z
  .object({
    shopper: z.string().min(1).max(maxShopperTokenLength),
    events: z.array(shopperEventSchema).min(1).max(maxShopperEvents),
  })
  .strict();

/**
 * The batch's outside, its events not yet looked at: the route checks the
 * token before it validates a single event, so a caller without one learns
 * nothing from the errors.
 */
export const shopperBatchEnvelope = shopperBatchSchema.extend({ events: z.array(z.unknown()) });

/** The attributes of the script tag a shop pastes: the token, and what this page shows. */
export const browseScriptAttributes = {
  shopper: 'data-shopper',
  product: 'data-product',
  category: 'data-category',
  search: 'data-search',
} as const;

/** The page's global the script reads queued events from and then answers `push` on. */
export const browseScriptGlobal = 'rekindle';
