// Made-up but realistic views for previews and `rekindle validate`: a sample
// customer, a coupon shaped like the step's offer (never issued: its code
// says SAMPLE), a two-item cart, a product and three recommendations, with
// inline placeholder images so a preview needs no network. Pure.
import type { Campaign, Offer, ShopSettings } from '../campaigns/types.ts';
import { currenciesOf } from '../money-by-currency.ts';
import { termsIn } from '../offers/discount.ts';
import { couponExpiry } from '../offers/issue.ts';
import { safeLink } from '../safe-link.ts';
import { dayMs } from '../time.ts';
import type { EmailView, OfferView, ProductView } from './contract.ts';
import { formatDate, moneyView, offerView } from './format.ts';
import { priceDropView } from './price-drop-view.ts';
import { recoveryUrlWithCoupon } from './recovery-url.ts';
import { triggerProvides } from './view-schema.ts';

/** Where a preview's unsubscribe link points: nowhere real, on purpose. */
export const previewUnsubscribeUrl = '#unsubscribe-preview';

export const sampleCustomer: EmailView['customer'] = {
  id: null,
  first_name: 'Alex',
  last_name: 'Sample',
  email: 'alex.sample@example.com',
};

/** A soft square with a simple shape, tinted per product so a grid does not look like one image. */
function placeholderImage(hue: number): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">` +
    `<rect width="320" height="320" fill="hsl(${hue},45%,88%)"/>` +
    `<circle cx="160" cy="140" r="64" fill="hsl(${hue},40%,62%)"/>` +
    `<rect x="80" y="228" width="160" height="20" rx="10" fill="hsl(${hue},35%,72%)"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function shopOrigin(settings: ShopSettings): string {
  const logo = safeLink(settings.brand.logoUrl);
  return logo ? new URL(logo).origin : 'https://shop.example';
}

function sampleProductView(
  settings: ShopSettings,
  index: number,
  title: string,
  priceMinor: number,
  currency = settings.currency,
): ProductView {
  return {
    id: `sample-${index}`,
    title,
    url: `${shopOrigin(settings)}/products/sample-${index}`,
    image_url: placeholderImage((index * 67) % 360),
    price: moneyView(priceMinor, currency),
  };
}

/**
 * The offer as a customer in `currency` would see it: the shop currency by
 * default, else the first currency the file gives a figure for.
 */
export function sampleOffer(
  offer: Offer,
  settings: ShopSettings,
  timeZone: string,
  now: number,
  currency: string = settings.currency,
): OfferView {
  let written = termsIn(offer, currency);
  if ('gap' in written) {
    const named = offer.minSubtotal ?? (offer.kind === 'amount_off' ? offer.amount : null);
    written = termsIn(offer, named ? currenciesOf(named)[0]! : currency);
  }
  if ('gap' in written) throw new Error(written.gap);
  return offerView(
    {
      code: `${offer.codePrefix}-SAMPLE`,
      kind: offer.kind,
      value: written.terms.value,
      currency: written.currency,
      minSubtotalMinor: written.minSubtotalMinor,
      expiresAt: couponExpiry(offer, now),
    },
    timeZone,
  );
}

export function sampleCart(
  settings: ShopSettings,
  couponCode: string | null,
  currency = settings.currency,
): NonNullable<EmailView['cart']> {
  const lines = [
    { product: sampleProductView(settings, 1, 'Stoneware Mug, Sage', 1800, currency), quantity: 2 },
    { product: sampleProductView(settings, 2, 'Loose Leaf Breakfast Tea', 950, currency), quantity: 1 },
  ];
  const total = lines.reduce((sum, line) => sum + (line.product.price?.minor ?? 0) * line.quantity, 0);
  return {
    items: lines.map(({ product, quantity }) => ({
      ...product,
      quantity,
      line_total: moneyView((product.price?.minor ?? 0) * quantity, currency),
    })),
    total: moneyView(total, currency),
    recovery_url: recoveryUrlWithCoupon(`${shopOrigin(settings)}/cart/recover/sample`, couponCode),
  };
}

export function sampleProduct(settings: ShopSettings, currency = settings.currency): ProductView {
  return sampleProductView(settings, 3, 'Linen Apron, Rust', 3400, currency);
}

export function sampleRecommended(settings: ShopSettings, currency = settings.currency): ProductView[] {
  return [
    sampleProductView(settings, 4, 'Enamel Teapot', 4200, currency),
    sampleProductView(settings, 5, 'Oak Serving Board', 2800, currency),
    sampleProductView(settings, 6, 'Beeswax Candle Pair', 1500, currency),
  ];
}

export function sampleArrivals(settings: ShopSettings, currency = settings.currency): ProductView[] {
  return [
    sampleProductView(settings, 7, 'Stoneware Pitcher, Moss', 3800, currency),
    sampleProductView(settings, 8, 'Waxed Canvas Tote', 4600, currency),
  ];
}

/** The sample customer bought the sample product four weeks before the preview. */
export function sampleReplenishment(
  settings: ShopSettings,
  now: number,
): NonNullable<EmailView['replenishment']> {
  return { bought_on: formatDate(now - 28 * dayMs, settings.timezone) };
}

/** The sample product (sampleProduct) a quarter cheaper than it was. */
export function samplePriceDrop(
  settings: ShopSettings,
  currency = settings.currency,
): NonNullable<EmailView['price_drop']> {
  const now = sampleProduct(settings, currency).price?.minor ?? 0;
  return priceDropView(Math.round((now * 4) / 3), now, currency);
}

export interface SampleOptions {
  step?: number;
  now?: number;
  unsubscribeUrl?: string;
  /** The sample customer's currency (default the shop's): offer and prices read in it. */
  currency?: string;
}

/** The view for a campaign step without a customer: every part its trigger provides (view-schema.ts), filled. */
export function sampleView(
  campaign: Campaign,
  settings: ShopSettings,
  options: SampleOptions = {},
): EmailView {
  const step = campaign.steps[options.step ?? 0] ?? campaign.steps[0];
  const now = options.now ?? Date.now();
  const currency = options.currency ?? settings.currency;
  const offer = step?.offer ? sampleOffer(step.offer, settings, settings.timezone, now, currency) : null;
  const trigger = campaign.trigger.type;
  return {
    customer: sampleCustomer,
    shop: {
      name: settings.brand.name,
      logo_url: safeLink(settings.brand.logoUrl),
      color: settings.brand.color,
      postal_address: settings.postalAddress,
    },
    campaign: { id: campaign.id, name: campaign.name, step: step?.index ?? 0 },
    offer,
    cart: triggerProvides(trigger, 'cart') ? sampleCart(settings, offer?.code ?? null, currency) : null,
    product: triggerProvides(trigger, 'product') ? sampleProduct(settings, currency) : null,
    // The sample customer joined the waitlist: the copy most back-in-stock emails get.
    back_in_stock: triggerProvides(trigger, 'back_in_stock') ? { asked: true } : null,
    price_drop: triggerProvides(trigger, 'price_drop') ? samplePriceDrop(settings, currency) : null,
    arrivals: triggerProvides(trigger, 'arrivals') ? sampleArrivals(settings, currency) : null,
    replenishment: triggerProvides(trigger, 'replenishment') ? sampleReplenishment(settings, now) : null,
    recommended: sampleRecommended(settings, currency),
    links: { unsubscribe: options.unsubscribeUrl ?? previewUnsubscribeUrl, shop: `${shopOrigin(settings)}/` },
  };
}
