// Which handler each Shopify topic (X-Shopify-Topic) goes to. A topic not
// listed is answered 200 and counted (webhook_unknown_topics).
import { receiveCheckout, receiveCheckoutDelete } from './checkouts.ts';
import type { TopicHandler } from './context.ts';
import { receiveConsent, receiveCustomer, receiveCustomerDelete } from './customers.ts';
import { receiveOrder, receiveRefund } from './orders.ts';
import { receiveCustomerRedact, receiveDataRequest, receiveShopRedact } from './privacy.ts';
import { receiveInventoryLevel, receiveProduct, receiveVariantStock } from './products.ts';

export const shopifyTopics: Readonly<Record<string, TopicHandler>> = {
  'orders/create': receiveOrder,
  'orders/updated': receiveOrder,
  'orders/paid': receiveOrder,
  'orders/cancelled': receiveOrder,
  'refunds/create': receiveRefund,
  'checkouts/create': receiveCheckout,
  'checkouts/update': receiveCheckout,
  'checkouts/delete': receiveCheckoutDelete,
  'customers/create': receiveCustomer,
  'customers/update': receiveCustomer,
  'customers/delete': receiveCustomerDelete,
  'customers_email_marketing_consent/update': receiveConsent,
  'products/create': receiveProduct,
  'products/update': receiveProduct,
  'variants/in_stock': receiveVariantStock(true),
  'variants/out_of_stock': receiveVariantStock(false),
  'inventory_levels/update': receiveInventoryLevel,
  'customers/data_request': receiveDataRequest,
  'customers/redact': receiveCustomerRedact,
  'shop/redact': receiveShopRedact,
};

/** The topics to subscribe to, in the order the README lists them. */
export const subscribedTopics: readonly string[] = Object.keys(shopifyTopics);
