// The rendering contract between the delivery loop and the template adapter.
// The view is what a template's Liquid sees: snake_case, as marketers write
// it in emails/*.mjml (`{{ customer.first_name }}`), money already formatted
// in the shop's currency, times already in the customer's zone. Types only.

export interface MoneyView {
  /** Formatted for people, e.g. "£12.50". */
  display: string;
  minor: number;
  currency: string;
}

export interface ProductView {
  id: string;
  title: string;
  url: string | null;
  image_url: string | null;
  price: MoneyView | null;
}

export interface CartItemView extends ProductView {
  quantity: number;
  line_total: MoneyView | null;
}

export interface OfferView {
  code: string;
  kind: 'percent_off' | 'amount_off' | 'free_shipping';
  /** "15% off", "£10 off", "Free shipping". */
  headline: string;
  min_subtotal: MoneyView | null;
  /** Formatted date in the customer's zone, e.g. "7 December 2026". */
  expires_on: string | null;
}

export interface EmailView {
  customer: {
    id: string | null;
    first_name: string | null;
    last_name: string | null;
    email: string;
  };
  shop: {
    name: string;
    logo_url: string | null;
    color: string | null;
    postal_address: string;
  };
  campaign: { id: string; name: string; step: number };
  offer: OfferView | null;
  cart: { items: CartItemView[]; total: MoneyView | null; recovery_url: string | null } | null;
  product: ProductView | null;
  /**
   * Back-in-stock emails only: asked is true when the customer joined the
   * product's waitlist, false when they only held it in a cart, so the copy
   * never says "you asked us" to someone who did not.
   */
  back_in_stock: { asked: boolean } | null;
  /**
   * Price-drop emails only: the price before the drop and the product's price
   * now (never above the dropped one: delivery cancels then), in one
   * currency, and the fall in whole percent, rounded down.
   */
  price_drop: { was: MoneyView; now: MoneyView; percent: number } | null;
  /** New-arrivals emails only: the batch's products, newest first, as the sweep chose them (those still in stock). */
  arrivals: ProductView[] | null;
  /** Replenishment emails only: when the customer bought the product (`product`), a date in their zone. */
  replenishment: { bought_on: string } | null;
  recommended: ProductView[];
  links: {
    /** The https one-click unsubscribe page for this message. */
    unsubscribe: string;
    shop: string | null;
  };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Renders one message. The adapter caches compiled templates; a view only fills them. */
export interface MessageRenderer {
  render(template: string, subject: string, view: EmailView): Promise<RenderedEmail>;
}
