// checkouts/create|update|delete → Rekindle carts. The checkout id is the
// cart id; abandoned_checkout_url is the recovery link; a checkout with
// completed_at is converted. Its token and cart_token are remembered, so the
// order placed from it (orders.ts) converts the cart by either. Amounts are in
// the presentment currency, as the checkout's prices are. Shapes: Shopify's
// webhook reference, checkouts/create and checkouts/delete samples.
import { ingestSchemas } from '../../../core/ingest/records.ts';
import { currentCarts } from '../../../db/repositories/current-records.ts';
import { checkoutTokensStatements } from '../../../db/repositories/shopify.ts';
import { claimVersions, newerThanStored, raiseVersions } from '../shared/newer-state-wins.ts';
import { applyDelivery } from '../shared/webhook-ledger.ts';
import { platform, type TopicHandler } from './context.ts';
import { idOf, lineItemsOf, objectOf, parseWith, requiredId, requiredTime, textOf } from './payload.ts';

const key = { platform, resource: 'checkout' };

export const receiveCheckout: TopicHandler = async (ctx, payload) => {
  const id = requiredId(payload, 'id');
  const version = requiredTime(payload, 'updated_at', 'created_at');
  const versioned = [{ id, version }];
  if (!(await newerThanStored(ctx.ports.store, key, versioned)).has(id)) return { outcome: 'stale' };
  const customer = objectOf(payload.customer);
  const record = parseWith(
    ingestSchemas.carts,
    {
      id,
      customer_id: idOf(customer?.id),
      email: textOf(payload.email) ?? textOf(customer?.email),
      status: payload.completed_at ? 'converted' : 'open',
      currency: payload.presentment_currency ?? payload.currency,
      value: payload.total_price,
      recovery_url: textOf(payload.abandoned_checkout_url),
      last_activity_at: textOf(payload.updated_at) ?? textOf(payload.created_at),
      created_at: textOf(payload.created_at) ?? undefined,
      items: lineItemsOf(payload.line_items).filter((line) => line.quantity > 0),
    },
    'checkout',
  );
  const tokens = [payload.token, payload.cart_token].flatMap((token) => textOf(token) ?? []);
  const now = ctx.delivery.now;
  return {
    outcome: await applyDelivery(ctx.ports.store, ctx.delivery, [
      ...claimVersions(ctx.ports.store, key, versioned),
      ...ctx.ports.ingest({ kind: 'carts', records: [record], now }),
      ...checkoutTokensStatements(ctx.ports.store, id, tokens),
    ]),
  };
};

/** A deleted checkout's cart is deleted for good: no later retry of an update reopens it. */
export const receiveCheckoutDelete: TopicHandler = async (ctx, payload) => {
  const id = requiredId(payload, 'id');
  const carts = await currentCarts(ctx.ports.store, [id]);
  const open = carts
    .filter((cart) => cart.status === 'open')
    .map((cart) => ({ ...cart, status: 'deleted' as const }));
  const now = ctx.delivery.now;
  return {
    outcome: await applyDelivery(ctx.ports.store, ctx.delivery, [
      ...raiseVersions(ctx.ports.store, key, [{ id, version: Number.MAX_SAFE_INTEGER }]),
      ...(open.length > 0 ? ctx.ports.ingest({ kind: 'carts', records: open, now }) : []),
    ]),
    ...(open.length === 0 ? { note: 'no open cart for this checkout' } : {}),
  };
};
