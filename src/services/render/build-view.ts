// Builds the EmailView a template sees for one message, from the database:
// the customer, the shop, the campaign step, the coupon the message carries,
// the cart (abandoned-cart messages: trigger_ref `cart<id>@<activity>`), the
// restocked product (back-in-stock: trigger_ref `restock<id>`), the product
// bought and when (replenishment: `refill<product>@<purchase ms>`), the
// dropped product with its old price (price drop: `drop<id>`,
// price-drop-parts.ts) and up to
// three recommendations (from purchases and browse history: email-views.ts). Reads only; the unsubscribe link is handed in,
// because only the sender knows the message's signed token.
import type { Campaign, CampaignSet, ShopSettings } from '../../core/campaigns/types.ts';
import type { CartItemView, EmailView, OfferView, ProductView } from '../../core/rendering/contract.ts';
import { formatDate, moneyView, offerView } from '../../core/rendering/format.ts';
import { type RecoveryLinkOptions, recoveryUrlWithCoupon } from '../../core/rendering/recovery-url.ts';
import {
  sampleArrivals,
  sampleCart,
  sampleCustomer,
  sampleOffer,
  samplePriceDrop,
  sampleProduct,
  sampleReplenishment,
} from '../../core/rendering/sample-view.ts';
import { safeLink } from '../../core/safe-link.ts';
import { isTimeZone } from '../../core/time.ts';
import {
  parseBrowseRef,
  parseCartRef,
  parseNewArrivalsRef,
  parseReplenishRef,
  parseRestockRef,
} from '../../core/triggers/trigger-ref.ts';
import {
  type CartWithItems,
  type CustomerRow,
  findAnyProductUrl,
  findCart,
  findCouponRow,
  findCustomer,
  findInStockProducts,
  findLastBoughtProduct,
  findLastOrderCurrency,
  findLastViewedProductId,
  findLatestOpenCartId,
  findProduct,
  findRecommendations,
  findRestockedProduct,
  findWaitedProductId,
  joinedWaitlist,
  type ProductRow,
} from '../../db/repositories/email-views.ts';
import type { ClaimedMessage } from '../../db/repositories/outbox.ts';
import type { Store } from '../../db/store.ts';
import { newArrivalsFor } from '../sweep/new-arrivals-source.ts';
import { messagePriceDrop, previewPriceDrop } from './price-drop-parts.ts';

/** The columns of a messages row the view needs. */
export type MessageFacts = Pick<
  ClaimedMessage,
  'campaignId' | 'step' | 'customerId' | 'email' | 'triggerKind' | 'triggerRef' | 'couponCode'
>;

export interface PreviewRequest {
  campaign: Campaign;
  step: number;
  customerId: string;
  now: number;
  unsubscribeUrl: string;
}

export interface ViewBuilder {
  forMessage(message: MessageFacts, links: { unsubscribe: string }): Promise<EmailView>;
  /** A customer's view of a campaign step without a message: their cart, their waitlist, a sample coupon. */
  forPreview(request: PreviewRequest): Promise<EmailView | null>;
}

export function productView(row: ProductRow): ProductView {
  return {
    id: row.id,
    title: row.title,
    url: safeLink(row.url),
    image_url: safeLink(row.imageUrl),
    price: moneyView(row.priceMinor, row.currency),
  };
}

export function cartView(
  found: CartWithItems,
  couponCode: string | null,
  links: RecoveryLinkOptions = {},
): NonNullable<EmailView['cart']> {
  const { cart } = found;
  const items: CartItemView[] = found.items.map(({ line, product }) => ({
    id: line.productId ?? `line${line.lineNo}`,
    title: line.title ?? product?.title ?? 'Item',
    url: safeLink(product?.url),
    image_url: safeLink(product?.imageUrl),
    price: moneyView(line.unitPriceMinor, cart.currency),
    quantity: line.quantity,
    line_total: moneyView(line.unitPriceMinor * line.quantity, cart.currency),
  }));
  return {
    items,
    total: moneyView(cart.valueMinor, cart.currency),
    recovery_url: recoveryUrlWithCoupon(cart.recoveryUrl, couponCode, links),
  };
}

/** The shop's home page: the origin of its product pages, else of its logo. */
export function shopHome(settings: ShopSettings, productUrl: string | null): string | null {
  for (const url of [productUrl, settings.brand.logoUrl]) {
    const safe = safeLink(url);
    if (safe) return `${new URL(safe).origin}/`;
  }
  return null;
}

export function shopView(settings: ShopSettings): EmailView['shop'] {
  return {
    name: settings.brand.name,
    logo_url: safeLink(settings.brand.logoUrl),
    color: settings.brand.color,
    postal_address: settings.postalAddress,
  };
}

function customerView(
  row: CustomerRow | null,
  id: string | null,
  email: string | null,
): EmailView['customer'] {
  return {
    id: row?.id ?? id,
    first_name: row?.firstName ?? null,
    last_name: row?.lastName ?? null,
    email: email ?? row?.email ?? '',
  };
}

function zoneOf(row: CustomerRow | null, settings: ShopSettings): string {
  return row?.timezone && isTimeZone(row.timezone) ? row.timezone : settings.timezone;
}

export function createViewBuilder(deps: {
  store: Store;
  campaigns: CampaignSet;
  /** How recovery links carry the coupon (a Shopify shop's own host). */
  links?: RecoveryLinkOptions | undefined;
}): ViewBuilder {
  const { store } = deps;
  const { settings } = deps.campaigns;
  let home: Promise<string | null> | undefined;
  const shopUrl = () => {
    home ??= findAnyProductUrl(store).then((url) => shopHome(settings, url));
    return home;
  };

  async function recommendations(customerId: string | null, exclude: string[]): Promise<ProductView[]> {
    if (!customerId) return [];
    return (await findRecommendations(store, customerId, exclude)).map(productView);
  }

  return {
    async forMessage(message, links) {
      const campaign = deps.campaigns.campaigns.find((c) => c.id === message.campaignId);
      const customer = message.customerId ? await findCustomer(store, message.customerId) : null;
      const zone = zoneOf(customer, settings);
      const coupon = message.couponCode ? await findCouponRow(store, message.couponCode) : null;
      const offer: OfferView | null = coupon
        ? offerView({ ...coupon, currency: coupon.currency ?? settings.currency }, zone)
        : null;

      let cart: EmailView['cart'] = null;
      let product: ProductView | null = null;
      let backInStock: EmailView['back_in_stock'] = null;
      let priceDrop: EmailView['price_drop'] = null;
      let arrivals: EmailView['arrivals'] = null;
      let replenishment: EmailView['replenishment'] = null;
      if (message.triggerKind === 'abandoned_cart') {
        const cartId = parseCartRef(message.triggerRef)?.cartId;
        const found = cartId ? await findCart(store, cartId) : null;
        cart = found ? cartView(found, offer?.code ?? null, deps.links) : null;
      } else if (message.triggerKind === 'back_in_stock') {
        const restockId = parseRestockRef(message.triggerRef);
        const row = restockId === null ? null : await findRestockedProduct(store, restockId);
        product = row ? productView(row) : null;
        const recipient = { customerId: message.customerId, email: message.email };
        backInStock = { asked: product ? await joinedWaitlist(store, product.id, recipient) : false };
      } else if (message.triggerKind === 'browse_abandonment') {
        const productId = parseBrowseRef(message.triggerRef)?.productId;
        const row = productId ? await findProduct(store, productId) : null;
        product = row ? productView(row) : null;
      } else if (message.triggerKind === 'price_drop') {
        const found = await messagePriceDrop(store, message.triggerRef);
        product = found && productView(found.row);
        priceDrop = found?.priceDrop ?? null;
      } else if (message.triggerKind === 'new_arrivals') {
        const ids = parseNewArrivalsRef(message.triggerRef)?.productIds ?? [];
        arrivals = (await findInStockProducts(store, ids)).map(productView);
      } else if (message.triggerKind === 'replenishment') {
        const refill = parseReplenishRef(message.triggerRef);
        const row = refill ? await findProduct(store, refill.productId) : null;
        product = row ? productView(row) : null;
        replenishment = refill && row ? { bought_on: formatDate(refill.boughtAt, zone) } : null;
      }
      const exclude = [
        ...(cart?.items.map((item) => item.id) ?? []),
        ...(product ? [product.id] : []),
        ...(arrivals?.map((a) => a.id) ?? []),
      ];
      return {
        customer: customerView(customer, message.customerId, message.email),
        shop: shopView(settings),
        campaign: { id: message.campaignId, name: campaign?.name ?? message.campaignId, step: message.step },
        offer,
        cart,
        product,
        back_in_stock: backInStock,
        price_drop: priceDrop,
        arrivals,
        replenishment,
        recommended: await recommendations(message.customerId, exclude),
        links: { unsubscribe: links.unsubscribe, shop: await shopUrl() },
      };
    },

    async forPreview(request) {
      const { campaign, now } = request;
      const step = campaign.steps[request.step];
      const customer = await findCustomer(store, request.customerId);
      if (!step || !customer) return null;
      const zone = zoneOf(customer, settings);
      let found: CartWithItems | null = null;
      let product: ProductView | null = null;
      let productCurrency: string | null = null;
      let backInStock: EmailView['back_in_stock'] = null;
      let priceDrop: EmailView['price_drop'] = null;
      let arrivals: EmailView['arrivals'] = null;
      let replenishment: EmailView['replenishment'] = null;
      if (campaign.trigger.type === 'abandoned_cart') {
        const cartId = await findLatestOpenCartId(store, customer.id);
        found = cartId ? await findCart(store, cartId) : null;
      } else if (campaign.trigger.type === 'back_in_stock') {
        const productId = await findWaitedProductId(store, customer.id);
        const row = productId ? await findProduct(store, productId) : null;
        product = row ? productView(row) : sampleProduct(settings);
        productCurrency = row?.currency ?? null;
        // The preview shows the product the customer waits for, so the waitlist copy.
        backInStock = { asked: true };
      } else if (campaign.trigger.type === 'browse_abandonment') {
        const productId = await findLastViewedProductId(store, customer.id);
        const row = productId ? await findProduct(store, productId) : null;
        product = row ? productView(row) : sampleProduct(settings);
        productCurrency = row?.currency ?? null;
      } else if (campaign.trigger.type === 'price_drop') {
        // The latest drop of a product the customer cared about; the sample's without one.
        const found = await previewPriceDrop(store, customer.id);
        product = found ? productView(found.row) : sampleProduct(settings);
        priceDrop = found?.priceDrop ?? samplePriceDrop(settings);
        productCurrency = found?.row.currency ?? null;
      } else if (campaign.trigger.type === 'new_arrivals') {
        // What the customer would get now; the sample's when nothing is new for them.
        const outcome = await newArrivalsFor(store, campaign, settings, customer.id, now);
        const rows = outcome?.match ? await findInStockProducts(store, outcome.products) : [];
        arrivals = rows.length > 0 ? rows.map(productView) : sampleArrivals(settings);
        productCurrency = rows[0]?.currency ?? null;
      } else if (campaign.trigger.type === 'replenishment') {
        // The customer's latest purchase of a product the trigger counts; the sample's without one.
        const bought = await findLastBoughtProduct(store, customer.id, campaign.trigger.categories);
        const row = bought ? await findProduct(store, bought.productId) : null;
        product = row ? productView(row) : sampleProduct(settings);
        productCurrency = row?.currency ?? null;
        replenishment =
          bought && row ? { bought_on: formatDate(bought.at, zone) } : sampleReplenishment(settings, now);
      }
      // The sample coupon reads as the customer's would: in their currency
      // (src/core/money-by-currency.ts), with that currency's figures.
      const currency =
        found?.cart.currency ??
        (await findLastOrderCurrency(store, customer.id)) ??
        productCurrency ??
        settings.currency;
      const offer = step.offer ? sampleOffer(step.offer, settings, zone, now, currency) : null;
      let cart: EmailView['cart'] = null;
      if (campaign.trigger.type === 'abandoned_cart') {
        cart = found
          ? cartView(found, offer?.code ?? null, deps.links)
          : sampleCart(settings, offer?.code ?? null);
      }
      const exclude = [
        ...(cart?.items.map((item) => item.id) ?? []),
        ...(product ? [product.id] : []),
        ...(arrivals?.map((a) => a.id) ?? []),
      ];
      return {
        customer: customerView(customer, customer.id, customer.email ?? sampleCustomer.email),
        shop: shopView(settings),
        campaign: { id: campaign.id, name: campaign.name, step: step.index },
        offer,
        cart,
        product,
        back_in_stock: backInStock,
        price_drop: priceDrop,
        arrivals,
        replenishment,
        recommended: await recommendations(customer.id, exclude),
        links: { unsubscribe: request.unsubscribeUrl, shop: await shopUrl() },
      };
    },
  };
}
