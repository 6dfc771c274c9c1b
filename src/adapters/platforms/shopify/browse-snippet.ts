// Browse events from a Shopify shop: what `rekindle browse snippet --platform
// shopify` prints. Two pastes:
//
// 1. theme.liquid signs the shopper in: for a signed-in customer Liquid
//    renders the shopper token (its `hmac_sha256` filter prints the lowercase
//    hex HMAC-SHA256 the token format wants) into a first-party cookie, and
//    clears it for everyone else. The theme holds SHOPPER_TOKEN_SECRET in
//    its code, where staff and theme apps can read it: hence a secret of its
//    own, never SIGNING_SECRET.
// 2. A custom pixel (Settings > Customer events) subscribes to Shopify's own
//    browse events and posts each to POST /b/events with the token read
//    from that cookie (pixels cannot read the page, but browser.cookie.get
//    reads the top frame's cookies). Custom pixels run in Shopify's lax
//    sandbox, a frame without an origin of its own, whose posts browsers
//    send with `Origin: null`: BROWSE_ORIGINS, when set, must list null.
//
// Ids: Rekindle stores a Shopify product per variant (products.ts: the
// variant id, as order and cart lines name it), so product_viewed names the
// viewed variant (data.productVariant.id; a gid is cut to its number).
// Categories: collection_viewed names the collection's title, while stored
// Shopify products carry their product type as category, so a collection
// view matches products only where the shop titles collections after types.
//
// Sources, Shopify's documentation:
// - https://shopify.dev/docs/api/web-pixels-api/standard-events/product_viewed
//   (data.productVariant: id, product.id), .../collection_viewed
//   (data.collection: id, title), .../search_submitted (data.searchResult.query)
// - https://shopify.dev/docs/api/web-pixels-api/standard-api/browser
//   (browser.cookie.get(name), asynchronous, the top frame's cookies)
// - https://help.shopify.com/en/manual/promoting-marketing/pixels/custom-pixels
//   (custom pixels load in a lax sandbox)
// - https://shopify.dev/docs/api/liquid/filters/hmac_sha256 (hex output)
import { shopperTokenPurpose } from '../../../core/tracking/shopper-token.ts';
import { browseUrls, secretPlaceholder } from '../shared/browse-snippet.ts';

/** The first-party cookie the theme writes and the pixel reads. */
export const shopperCookie = 'rekindle_shopper';
/** A day; every page the shopper opens writes it again. */
const cookieSeconds = 86_400;

/** theme.liquid, in <head>: the shopper token as a cookie for the signed-in customer. */
export function shopifyThemeSnippet(): string {
  return `{%- comment -%} Rekindle: signs the shopper in for the Rekindle pixel. {%- endcomment -%}
{%- if customer -%}
  {%- capture rekindle_signed -%}${shopperTokenPurpose}{{ customer.id }}{%- endcapture -%}
  {%- assign rekindle_mac = rekindle_signed | hmac_sha256: '${secretPlaceholder}' -%}
  <script>document.cookie = '${shopperCookie}={{ customer.id }}.{{ rekindle_mac }}; path=/; max-age=${cookieSeconds}; samesite=lax; secure';</script>
{%- else -%}
  <script>document.cookie = '${shopperCookie}=; path=/; max-age=0; samesite=lax; secure';</script>
{%- endif -%}
`;
}

/** The custom pixel's code: Shopify's browse events, posted with the cookie's token. */
export function shopifyPixelSnippet(publicBaseUrl: string): string {
  const { events } = browseUrls(publicBaseUrl);
  return `// Rekindle: what signed-in shoppers look at, to ${events}
const rekindleEvents = ${JSON.stringify(events)};

function rekindleSend(event) {
  browser.cookie
    .get(${JSON.stringify(shopperCookie)})
    .then((shopper) => {
      if (!shopper) return;
      return fetch(rekindleEvents, {
        method: 'POST',
        keepalive: true,
        credentials: 'omit',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ shopper, events: [event] }),
      });
    })
    .catch(() => {});
}

// Rekindle knows a Shopify product by its variant's id.
analytics.subscribe('product_viewed', (event) => {
  const variant = event.data && event.data.productVariant;
  if (variant && variant.id) {
    rekindleSend({ type: 'product_viewed', product_id: String(variant.id).split('/').pop() });
  }
});

analytics.subscribe('collection_viewed', (event) => {
  const collection = event.data && event.data.collection;
  if (collection && collection.title) rekindleSend({ type: 'category_viewed', category: collection.title });
});

analytics.subscribe('search_submitted', (event) => {
  const result = event.data && event.data.searchResult;
  if (result && result.query) rekindleSend({ type: 'search', query: result.query });
});
`;
}

/** Both pastes, each under a line that says where it goes. */
export function shopifyBrowseSnippet(publicBaseUrl: string): string {
  return `# 1. Online Store > Themes > Edit code > layout/theme.liquid, inside <head>;
#    replace ${secretPlaceholder} with the value of SHOPPER_TOKEN_SECRET.

${shopifyThemeSnippet()}
# 2. Settings > Customer events > Add custom pixel: this as its code, then Connect.
#    It posts from Shopify's sandbox (Origin: null): with BROWSE_ORIGINS set, list null there.

${shopifyPixelSnippet(publicBaseUrl)}`;
}
