// Ingest: storing validated records of any kind in one atomic batch, for the
// HTTP API (POST /v1/{kind}) and the file importer alike. For orders, the
// same batch applies the redemption rule to their coupon codes: a paid
// order's code that passes becomes that coupon's redemption, one that fails is
// kept as a rejected use with its reason. The order itself is always stored
// in full: an order is a fact, whatever its codes.
import type { IngestKind, OrderRecord } from '../../core/ingest/records.ts';
import { normalizeCode } from '../../core/offers/code.ts';
import { type OrderCode, orderRedemptionStatements } from '../../db/repositories/coupons.ts';
import { type RecordsByKind, upsertStatements } from '../../db/repositories/ingest.ts';
import { couponRedeemedEvents } from '../../db/repositories/outgoing-events.ts';
import type { Statement, Store } from '../../db/store.ts';

export interface IngestPorts {
  store: Store;
}

export interface IngestInput<K extends IngestKind> {
  kind: K;
  records: readonly RecordsByKind[K][];
  /** When the records arrived. */
  now: number;
}

/** The statements of one ingest, for callers that write them in their own batch (the importer). */
export function ingestStatements<K extends IngestKind>(
  ports: IngestPorts,
  input: IngestInput<K>,
): Statement[] {
  const upserts = upsertStatements(ports.store, input.kind, input.records, input.now);
  if (input.kind !== 'orders') return upserts;
  const orders = input.records as readonly OrderRecord[];
  const pairs = orderCodes(orders);
  if (pairs.length === 0) return upserts;
  // The shop's coupon.redeemed events, for the redemptions these statements write.
  const redeeming = [...new Set(pairs.map((p) => p.orderId))];
  return [
    ...upserts,
    ...orderRedemptionStatements(ports.store, pairs),
    couponRedeemedEvents(ports.store, redeeming, input.now),
  ];
}

export async function ingestRecords<K extends IngestKind>(
  ports: IngestPorts,
  input: IngestInput<K>,
): Promise<void> {
  await ports.store.batch(ingestStatements(ports, input));
}

/**
 * The codes the rule judges: those of paid orders, in the order each order
 * listed them (its first passing code is the one it redeems), each once per
 * order. Text that cannot be a coupon code (the shop's own codes) is no
 * concern of the rule and is left out.
 */
export function orderCodes(orders: readonly OrderRecord[]): OrderCode[] {
  const pairs: OrderCode[] = [];
  for (const order of orders) {
    if (order.status !== 'paid') continue;
    const seen = new Set<string>();
    for (const typed of order.discountCodes) {
      const code = normalizeCode(typed);
      if (code === null || seen.has(code)) continue;
      seen.add(code);
      pairs.push({ orderId: order.id, code });
    }
  }
  return pairs;
}

/**
 * The importer's port onto this verb (src/adapters/import takes it, never
 * imports it): the statement builder.
 */
export const ingestStatementsPort = { build: ingestStatements } as const;
