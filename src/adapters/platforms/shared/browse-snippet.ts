// What a shop pastes so its pages post browse events to the public door
// (core/tracking/browse-door.ts): the plain-HTML form, for any shop whose
// server renders its own pages, and the addresses the platform snippets
// (shopify/browse-snippet.ts, woocommerce/browse-snippet.ts) point at. Each
// snippet builds the shopper token from the format's owner
// (core/tracking/shopper-token.ts) and never holds the secret: it prints a
// placeholder the shop replaces. Pure text; calls nothing.
import {
  browseScriptAttributes as attribute,
  browsePaths,
  browseScriptGlobal,
} from '../../../core/tracking/browse-door.ts';
import { shopperTokenPurpose } from '../../../core/tracking/shopper-token.ts';

/** Stands where the shop puts SHOPPER_TOKEN_SECRET's value. */
export const secretPlaceholder = 'REPLACE_WITH_SHOPPER_TOKEN_SECRET';

/** Where the shop's pages reach Rekindle, under its public base URL. */
export function browseUrls(publicBaseUrl: string): { script: string; events: string } {
  return {
    script: new URL(browsePaths.script, publicBaseUrl).toString(),
    events: new URL(browsePaths.events, publicBaseUrl).toString(),
  };
}

/** The script tag and the token recipe for a shop that renders its own pages. */
export function htmlBrowseSnippet(publicBaseUrl: string): string {
  const { script } = browseUrls(publicBaseUrl);
  return `<!--
  Rekindle browse events: on every page a signed-in shopper sees, before </body>.
  SHOPPER_TOKEN is made on your server for the signed-in customer, with the
  id Rekindle knows them by and SHOPPER_TOKEN_SECRET (never sent to browsers):
    <customer id>.<lowercase hex HMAC-SHA256 of "${shopperTokenPurpose}<customer id>">
  Node: id + '.' + crypto.createHmac('sha256', secret).update('${shopperTokenPurpose}' + id).digest('hex')
  PHP:  $id . '.' . hash_hmac('sha256', '${shopperTokenPurpose}' . $id, $secret)
  Leave the tag out for visitors who are not signed in.
  What the page shows, as attributes of the tag (one of them):
    ${attribute.product}="PRODUCT_ID"   the id your products are sent to Rekindle with
    ${attribute.category}="CATEGORY"    as your products' category
    ${attribute.search}="WORDS"         the search that led here
-->
<script src="${script}" ${attribute.shopper}="SHOPPER_TOKEN" async></script>

<!-- Or at any time, before or after the script has loaded (single-page shops): -->
<script>
  (window.${browseScriptGlobal} = window.${browseScriptGlobal} || []).push({ type: 'product_viewed', product_id: 'PRODUCT_ID' });
  // { type: 'category_viewed', category: 'Shoes' }, { type: 'search', query: 'red trainers' }
</script>
`;
}
