// orders/create|updated|paid|cancelled and refunds/create → Rekindle orders.
// Status: a test order is not stored; cancelled_at or a voided/expired
// payment is cancelled; refunded is refunded; paid, authorized, partially
// paid or partially refunded is a purchase (paid); pending is no purchase yet
// and waits for orders/paid. discount_codes go to the ingest verb, which
// judges them by the one redemption rule. An order whose checkout (its
// checkout_id, checkout_token or cart_token) is an open cart converts that
// cart, which stops its reminders (the recheck before each send). Shapes:
// Shopify's webhook reference, orders/create and refunds/create samples.
import { ingestSchemas, type OrderRecord } from '../../../core/ingest/records.ts';
import { toMinorUnits } from '../../../core/money.ts';
import { currentCarts, currentOrders } from '../../../db/repositories/current-records.ts';
import { insertCustomerStubs } from '../../../db/repositories/customers.ts';
import { openCartsNamed } from '../../../db/repositories/shopify.ts';
import type { Statement } from '../../../db/store.ts';
import { claimVersions, newerThanStored } from '../shared/newer-state-wins.ts';
import { applyDelivery } from '../shared/webhook-ledger.ts';
import { platform, type TopicContext, type TopicHandler } from './context.ts';
import {
  idOf,
  lineItemsOf,
  listOf,
  objectOf,
  type Payload,
  parseWith,
  requiredId,
  requiredTime,
  textOf,
} from './payload.ts';

type OrderStatus = OrderRecord['status'];

/** Rekindle's status for the order, or null while it is no purchase yet (pending). */
export function orderStatus(payload: Payload): OrderStatus | null {
  if (payload.cancelled_at) return 'cancelled';
  switch (payload.financial_status) {
    case 'paid':
    case 'authorized':
    case 'partially_paid':
    case 'partially_refunded':
      return 'paid';
    case 'refunded':
      return 'refunded';
    case 'voided':
    case 'expired':
      return 'cancelled';
    default:
      return null;
  }
}

export const receiveOrder: TopicHandler = async (ctx, payload) => {
  const id = requiredId(payload, 'id');
  const version = requiredTime(payload, 'updated_at', 'created_at');
  const conversions = await cartConversions(ctx, payload);
  const status = orderStatus(payload);
  const customer = objectOf(payload.customer);
  const customerId = idOf(customer?.id);
  if (payload.test === true || status === null || customerId === null) {
    const note =
      payload.test === true
        ? 'a test order'
        : status === null
          ? 'not paid yet'
          : 'an order without a customer';
    if (conversions.length === 0) return { outcome: 'skipped', note: `${note}: not stored` };
    return {
      outcome: await applyDelivery(ctx.ports.store, ctx.delivery, conversions),
      note: `${note}: its cart converted`,
    };
  }
  const key = { platform, resource: 'order' };
  const versioned = [{ id, version }];
  if (!(await newerThanStored(ctx.ports.store, key, versioned)).has(id)) return { outcome: 'stale' };
  const record = parseWith(
    ingestSchemas.orders,
    {
      id,
      customer_id: customerId,
      placed_at: textOf(payload.processed_at) ?? textOf(payload.created_at),
      status,
      currency: payload.currency,
      total: payload.total_price,
      discount_codes: discountCodes(payload.discount_codes),
      items: lineItemsOf(payload.line_items),
    },
    'order',
  );
  const now = ctx.delivery.now;
  const stub = parseWith(
    ingestSchemas.customers,
    { id: customerId, email: textOf(customer?.email) ?? textOf(payload.email) },
    'order customer',
  );
  const statements: Statement[] = [
    ...claimVersions(ctx.ports.store, key, versioned),
    ...insertCustomerStubs(
      ctx.ports.store,
      [
        {
          id: stub.id,
          email: stub.email,
          firstName: textOf(customer?.first_name),
          lastName: textOf(customer?.last_name),
        },
      ],
      now,
    ),
    ...ctx.ports.ingest({ kind: 'orders', records: [record], now }),
    ...conversions,
  ];
  return { outcome: await applyDelivery(ctx.ports.store, ctx.delivery, statements) };
};

/** The codes as typed; what they mean is the redemption rule's business. */
function discountCodes(value: unknown): string[] {
  return listOf(value)
    .flatMap((entry) => textOf(entry.code) ?? [])
    .filter((code) => code.length <= 100)
    .slice(0, 50);
}

/** The statements that convert the open carts this order's checkout names (none when none is open). */
async function cartConversions(ctx: TopicContext, payload: Payload): Promise<Statement[]> {
  const tokens = [payload.checkout_token, payload.cart_token].flatMap((token) => textOf(token) ?? []);
  const ids = await openCartsNamed(ctx.ports.store, { checkoutId: idOf(payload.checkout_id), tokens });
  const carts = await currentCarts(ctx.ports.store, ids);
  if (carts.length === 0) return [];
  const records = carts.map((cart) => ({ ...cart, status: 'converted' as const }));
  return ctx.ports.ingest({ kind: 'carts', records, now: ctx.delivery.now });
}

/**
 * refunds/create: the refund names its order but not the order's new state.
 * A refund whose successful refund transactions cover the stored order's
 * total makes it refunded; a partial one leaves it a purchase (orders/updated
 * follows with financial_status refunded once the refunds add up).
 */
export const receiveRefund: TopicHandler = async (ctx, payload) => {
  const orderId = requiredId(payload, 'order_id');
  const [order] = await currentOrders(ctx.ports.store, [orderId]);
  if (!order) return { outcome: 'skipped', note: 'the order is not stored' };
  if (order.status !== 'paid') return { outcome: 'skipped', note: `the order is already ${order.status}` };
  let refunded = 0;
  for (const transaction of listOf(payload.transactions)) {
    if (transaction.kind !== 'refund' || transaction.status !== 'success') continue;
    const currency = textOf(transaction.currency) ?? order.currency;
    const amount = transaction.amount;
    if (
      currency.toUpperCase() !== order.currency ||
      (typeof amount !== 'string' && typeof amount !== 'number')
    )
      continue;
    const minor = toMinorUnits(amount, order.currency);
    if (minor.ok) refunded += minor.value;
  }
  if (refunded < order.totalMinor || order.totalMinor === 0) {
    return { outcome: 'skipped', note: 'a partial refund: the order stays a purchase' };
  }
  const statements = ctx.ports.ingest({
    kind: 'orders',
    records: [{ ...order, status: 'refunded' }],
    now: ctx.delivery.now,
  });
  return { outcome: await applyDelivery(ctx.ports.store, ctx.delivery, statements) };
};
