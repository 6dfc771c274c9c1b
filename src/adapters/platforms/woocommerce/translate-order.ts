// A WooCommerce order as Rekindle's order record, validated by the API's own
// schema (core/ingest/records.ts), plus the customer stub it names. Status per
// order-status.ts; total, currency and placed_at (date_created_gmt) as given;
// line items with the variation's id when there is one (a variation is its own
// product in Rekindle) and a unit price from the line's pre-discount subtotal;
// coupon_lines' codes become the order's codes, which the ingest verb judges
// by the one redemption rule. Guest orders (customer_id 0) belong to the
// stored customer with the billing address when exactly one has it, else to
// the guest id of that address (shared/guest-customer.ts).
import { email as emailField } from '../../../core/ingest/fields.ts';
import { type OrderRecord, orderInput } from '../../../core/ingest/records.ts';
import { customerIdsByEmail } from '../../../db/repositories/current-records.ts';
import type { CustomerStub } from '../../../db/repositories/customers.ts';
import type { Store } from '../../../db/store.ts';
import { guestCustomerId, isGuestCustomerId } from '../shared/guest-customer.ts';
import { rekindleOrderStatus } from './order-status.ts';
import type { WooOrder } from './payloads.ts';
import { plainText, unitPrice } from './woo-values.ts';

const guestAccount = '0';

export interface OrderCustomer {
  customerId: string;
  /** Stored if the customer is missing, never overwriting one. */
  stub: CustomerStub | null;
}

/** The billing address as ingest stores addresses, or null when it is blank or not an address. */
export function billingEmail(order: WooOrder): string | null {
  const parsed = emailField.safeParse(order.billing.email ?? '');
  return parsed.success ? parsed.data : null;
}

export async function orderCustomer(store: Store, order: WooOrder): Promise<OrderCustomer> {
  const email = billingEmail(order);
  const names = { firstName: order.billing.first_name, lastName: order.billing.last_name };
  if (order.customer_id !== guestAccount) {
    return { customerId: order.customer_id, stub: { id: order.customer_id, email, ...names } };
  }
  if (!email) return { customerId: guestCustomerId(null, order.id), stub: null };
  // A shopper with an account who checked out without signing in.
  const accounts = (await customerIdsByEmail(store, email, 3)).filter((id) => !isGuestCustomerId(id));
  if (accounts.length === 1) return { customerId: accounts[0]!, stub: null };
  const customerId = guestCustomerId(email, order.id);
  return { customerId, stub: { id: customerId, email, ...names } };
}

export function wooOrderRecord(order: WooOrder, customerId: string): OrderRecord {
  const items = order.line_items
    // A line refunded to nothing keeps quantity 0; Rekindle's lines are never 0.
    .filter((line) => line.quantity !== 0)
    .map((line) => {
      const product = line.variation_id && line.variation_id !== '0' ? line.variation_id : line.product_id;
      const subtotal = line.subtotal ?? line.price ?? '0';
      return {
        product_id: product && product !== '0' ? product : null,
        title: plainText(line.name),
        quantity: line.quantity,
        unit_price: unitPrice(subtotal, Math.abs(line.quantity)) ?? String(subtotal),
      };
    });
  return orderInput.parse({
    id: order.id,
    customer_id: customerId,
    placed_at: order.date_created_gmt.iso,
    status: rekindleOrderStatus(order.status, order.date_paid_gmt),
    currency: order.currency,
    total: order.total,
    discount_codes: order.coupon_lines.map((line) => line.code.trim()).filter((code) => code !== ''),
    items,
  });
}
