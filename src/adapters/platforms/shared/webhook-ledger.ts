// Applying one webhook delivery exactly once: the delivery's id is written in
// the same atomic batch as its effects, with a plain INSERT, so a redelivery
// (or the same delivery arriving twice at once) fails its batch and changes
// nothing; each "newer state wins" claim (newer-state-wins.ts) in the batch
// rolls it back when a newer state was written meanwhile. Deliveries older
// than deliveryMemoryMs are pruned in the same batch, so the table stays
// bounded. Deliveries arriving together share one commit (db/group-batch.ts),
// each still all-or-nothing. Shared by every shop platform.
import { dayMs } from '../../../core/time.ts';
import { groupedBatch } from '../../../db/group-batch.ts';
import {
  countUnknownTopicStatement,
  deliverySeen,
  duplicateDeliveryMarker,
  failedOn,
  pruneDeliveriesStatement,
  recordDeliveryStatement,
  staleVersionMarker,
} from '../../../db/repositories/platform-webhooks.ts';
import type { Statement, Store } from '../../../db/store.ts';

/** Shopify retries a failed delivery for up to 48 hours; a week leaves room. */
export const deliveryMemoryMs = 7 * dayMs;

export interface Delivery {
  platform: string;
  deliveryId: string;
  topic: string;
  /** When it arrived, epoch ms. */
  now: number;
}

export type DeliveryOutcome = 'applied' | 'duplicate' | 'stale';

export function alreadyApplied(store: Store, delivery: Delivery): Promise<boolean> {
  return deliverySeen(store, delivery);
}

/** Writes `statements` with the delivery's record in one batch. */
export async function applyDelivery(
  store: Store,
  delivery: Delivery,
  statements: readonly Statement[],
): Promise<DeliveryOutcome> {
  const record = recordDeliveryStatement(store, delivery);
  const prune = pruneDeliveriesStatement(store, delivery.now - deliveryMemoryMs);
  try {
    await groupedBatch(store)([record, ...statements], { key: 'prune-deliveries', statement: prune });
    return 'applied';
  } catch (error) {
    if (failedOn(error, duplicateDeliveryMarker)) return 'duplicate';
    if (!failedOn(error, staleVersionMarker)) throw error;
  }
  // A newer state was written first: the delivery is done with, and remembered as such.
  try {
    await store.batch([recordDeliveryStatement(store, delivery)]);
  } catch (error) {
    if (!failedOn(error, duplicateDeliveryMarker)) throw error;
  }
  return 'stale';
}

/** Remembers the delivery of a topic nothing handles, and counts the topic. */
export async function countUnknownTopic(store: Store, delivery: Delivery): Promise<DeliveryOutcome> {
  return applyDelivery(store, delivery, [countUnknownTopicStatement(store, delivery)]);
}
