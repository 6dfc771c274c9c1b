// Browse events from a WooCommerce shop: what `rekindle browse snippet
// --platform woocommerce` prints. WooCommerce has no browse feed of its own,
// so a must-use plugin prints the browse script's tag in every page's footer
// for a signed-in customer: the shopper token made in PHP (hash_hmac gives
// the lowercase hex the format wants), the customer being the WordPress user
// (WooCommerce's customer id), and what the page shows from WordPress's
// conditionals: a product page (is_product: the product's id, which Rekindle
// stores for simple and variable products alike; a variation chosen on the
// page is not seen), a product category (is_product_category: its name,
// entities decoded, as the connector stores a product's category), search
// results (is_search: get_search_query). The secret lives in wp-config.php,
// out of the theme and the database.

import { browseScriptAttributes as attribute } from '../../../core/tracking/browse-door.ts';
import { shopperTokenPurpose } from '../../../core/tracking/shopper-token.ts';
import { browseUrls, secretPlaceholder } from '../shared/browse-snippet.ts';

/** The constant wp-config.php defines. */
export const wooSecretConstant = 'REKINDLE_SHOPPER_TOKEN_SECRET';

export function wooCommerceBrowseSnippet(publicBaseUrl: string): string {
  const { script } = browseUrls(publicBaseUrl);
  const php = (text: string) => `'${text.replace(/[\\']/g, '\\$&')}'`;
  return `<?php
/*
 * Plugin Name: Rekindle browse events
 * Description: Tells Rekindle what signed-in shoppers look at.
 *
 * Save as wp-content/mu-plugins/rekindle-browse.php, and add to wp-config.php:
 *   define('${wooSecretConstant}', '${secretPlaceholder}');
 * with the value of SHOPPER_TOKEN_SECRET.
 */
add_action('wp_footer', function () {
    $user = get_current_user_id();
    if (!$user || !defined('${wooSecretConstant}') || !function_exists('is_product')) {
        return;
    }
    $id = (string) $user;
    $attributes = array(
        ${php(attribute.shopper)} => $id . '.' . hash_hmac('sha256', ${php(shopperTokenPurpose)} . $id, ${wooSecretConstant}),
    );
    if (is_product()) {
        $attributes[${php(attribute.product)}] = (string) get_queried_object_id();
    } elseif (is_product_category()) {
        $attributes[${php(attribute.category)}] = html_entity_decode(get_queried_object()->name, ENT_QUOTES | ENT_HTML5, 'UTF-8');
    } elseif (is_search() && get_search_query(false) !== '') {
        $attributes[${php(attribute.search)}] = get_search_query(false);
    }
    echo '<script src="' . esc_url(${php(script)}) . '" async';
    foreach ($attributes as $name => $value) {
        echo ' ' . $name . '="' . esc_attr($value) . '"';
    }
    echo "></script>\\n";
});
`;
}
