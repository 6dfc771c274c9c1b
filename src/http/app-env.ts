// What every request handler can reach: the dependencies handed to createApp
// and the API key that authenticated the call.
import type { ShopifyConnector } from '../adapters/platforms/shopify/config.ts';
import type { WooCommerceConnector } from '../adapters/platforms/woocommerce/config.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import type { MessageRenderer } from '../core/rendering/contract.ts';
import type { BucketConfig } from '../core/request-limits/token-bucket.ts';
import type { ShopperTokens } from '../core/tracking/shopper-token.ts';
import type { TokenSigner } from '../core/tracking/tokens.ts';
import type { StoredKey } from '../db/repositories/api-keys.ts';
import type { Store } from '../db/store.ts';
import type { EngagementRecorder } from '../services/tracking/engagement-recorder.ts';

export interface AppDeps {
  store: Store;
  /** Epoch milliseconds; a parameter so tests and replays can fix time. */
  now: () => number;
  /** Coupon validate/redeem limits, shared by every app on the store's database; defaults in src/http/rate-limit.ts. */
  couponRateLimits?: { perClient: BucketConfig; perCode: BucketConfig } | undefined;
  /** Signs and checks open/click/unsubscribe tokens; without it the public tracking routes answer 404. */
  tracking?: TrackingDeps | undefined;
  /** Stores opens and clicks; default: each is written before the answer goes out. */
  engagement?: EngagementRecorder | undefined;
  /**
   * The campaign set, or a function giving the last valid one (long-running
   * homes reload it); without one POST /v1/sweeps answers 503.
   */
  campaigns?: CampaignSet | (() => CampaignSet | undefined) | undefined;
  /** Renders emails for GET /v1/campaigns/:id/preview; without one it answers 503. */
  renderer?: MessageRenderer | undefined;
  /** The Shopify connector; without it POST /webhooks/shopify answers 503. */
  shopify?: ShopifyConnector | undefined;
  /** The WooCommerce connector; without it POST /webhooks/woocommerce answers 503. */
  woocommerce?: WooCommerceConnector | undefined;
  /** The public browse door (POST /b/events); without it the door answers 503. */
  browse?: BrowseDoorDeps | undefined;
  /** Where routes write one-line notes (never personal data); default console.log. */
  log?: ((line: string) => void) | undefined;
}

/** The campaign set, if the app was given one (a long-running home's last valid one). */
export function campaignSetOf(deps: Pick<AppDeps, 'campaigns'>): CampaignSet | undefined {
  return typeof deps.campaigns === 'function' ? deps.campaigns() : deps.campaigns;
}

export interface TrackingDeps {
  signer: TokenSigner;
  /** The public base URL the tracking links point at, e.g. https://mail.shop.example. */
  baseUrl: string;
  /** The caller's address as this runtime knows it; default: the cf-connecting-ip header. */
  clientIp?: ((request: Request, env: unknown) => string | null) | undefined;
}

export interface BrowseDoorDeps {
  /** Checks the shopper tokens the shop's pages carry (SHOPPER_TOKEN_SECRET). */
  tokens: ShopperTokens;
  /**
   * The origins whose pages may post, exactly as browsers send them
   * (`https://shop.example`; `null` for sandboxed frames); undefined: any
   * origin, the token being the credential.
   */
  origins?: readonly string[] | undefined;
  /** Per shopper; default in src/http/rate-limit.ts. */
  rateLimit?: BucketConfig | undefined;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    apiKey: StoredKey;
  };
}
