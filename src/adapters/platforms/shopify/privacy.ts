// Shopify's mandatory privacy topics → Rekindle's privacy verbs
// (services/privacy/, handed in as ports). customers/redact erases the
// customer and suppresses the address (an address Rekindle only knows from
// guest carts or waitlist entries is given a customer row first, so its
// rows are found and erased the same way). shop/redact, sent 48 hours after
// the app is uninstalled, erases every customer: in pages, within a time
// budget; what is left is finished by Shopify's retry (the answer is 503
// until done, and erased customers are skipped). customers/data_request has
// no channel back to Shopify: it is answered 200 and logged (no personal
// data), and the shop owner exports the data with GET
// /v1/customers/{id}/export and sends it to the customer. Shapes: Shopify's
// webhook reference, the three compliance topics' samples.
import { ingestSchemas } from '../../../core/ingest/records.ts';
import { unerasedCustomerIds } from '../../../db/repositories/current-records.ts';
import { insertCustomerStubs } from '../../../db/repositories/customers.ts';
import { applyDelivery } from '../shared/webhook-ledger.ts';
import type { TopicHandler } from './context.ts';
import { idOf, objectOf, parseWith, requiredId, textOf } from './payload.ts';

/** How long one shop/redact delivery erases before it answers (Shopify waits 5 s). */
export const shopRedactBudgetMs = 3_000;

export const receiveCustomerRedact: TopicHandler = async (ctx, payload) => {
  const customer = objectOf(payload.customer);
  const id = customer ? requiredId(customer, 'id') : requiredId(payload, 'customer_id');
  const now = ctx.delivery.now;
  const email = textOf(customer?.email);
  if (email) {
    const stub = parseWith(ingestSchemas.customers, { id, email }, 'customer to redact');
    await ctx.ports.store.batch(
      insertCustomerStubs(ctx.ports.store, [{ id: stub.id, email: stub.email }], now),
    );
  }
  const erased = await ctx.ports.eraseCustomer({ customerId: id, now });
  return {
    outcome: await applyDelivery(ctx.ports.store, ctx.delivery, []),
    note: erased ? 'erased and suppressed' : 'no such customer stored',
  };
};

export const receiveShopRedact: TopicHandler = async (ctx) => {
  const started = ctx.ports.now();
  let erased = 0;
  let after = '';
  for (;;) {
    const ids = await unerasedCustomerIds(ctx.ports.store, after, 50);
    if (ids.length === 0) break;
    for (const customerId of ids) {
      await ctx.ports.eraseCustomer({ customerId, now: ctx.delivery.now });
      erased++;
      if (ctx.ports.now() - started > shopRedactBudgetMs) {
        ctx.ports.log(`shopify: shop/redact erased ${erased} customers; more are left for Shopify's retry`);
        return { outcome: 'retry', note: `erased ${erased} customers; more are left: retry` };
      }
    }
    after = ids[ids.length - 1] as string;
  }
  ctx.ports.log(`shopify: shop/redact erased ${erased} customers; none is left`);
  return {
    outcome: await applyDelivery(ctx.ports.store, ctx.delivery, []),
    note: `erased ${erased} customers`,
  };
};

export const receiveDataRequest: TopicHandler = async (ctx, payload) => {
  const request = idOf(objectOf(payload.data_request)?.id) ?? 'without an id';
  ctx.ports.log(
    `shopify: customers/data_request ${request} (delivery ${ctx.delivery.deliveryId}): Shopify takes no answer; export the customer's data with GET /v1/customers/{id}/export and send it to them`,
  );
  return {
    outcome: await applyDelivery(ctx.ports.store, ctx.delivery, []),
    note: 'logged: export the data with GET /v1/customers/{id}/export and send it to the customer',
  };
};
