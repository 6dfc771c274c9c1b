// The price-drop parts of an email's view, from the database: the dropped
// product's row and the drop (trigger_ref `drop<id>`) as the old price
// against the price now. Null when the product is gone or no longer sells at
// the dropped price in the drop's currency: an email never claims a drop that
// is not there (delivery cancels it instead). Reads only.
import type { EmailView } from '../../core/rendering/contract.ts';
import { priceDropView } from '../../core/rendering/price-drop-view.ts';
import { priceHolds } from '../../core/triggers/price-drop.ts';
import { parsePriceDropRef } from '../../core/triggers/trigger-ref.ts';
import {
  findInterestingDropId,
  findPriceDrop,
  findProduct,
  type ProductRow,
} from '../../db/repositories/email-views.ts';
import type { Store } from '../../db/store.ts';

export interface PriceDropParts {
  row: ProductRow;
  priceDrop: NonNullable<EmailView['price_drop']>;
}

async function partsOf(store: Store, dropId: number | null): Promise<PriceDropParts | null> {
  const drop = dropId === null ? null : await findPriceDrop(store, dropId);
  const row = drop ? await findProduct(store, drop.productId) : null;
  if (!drop || !row || !priceHolds(drop, row)) return null;
  return { row, priceDrop: priceDropView(drop.fromMinor, row.priceMinor, drop.currency) };
}

/** A message's parts, from its trigger ref. */
export function messagePriceDrop(store: Store, triggerRef: string): Promise<PriceDropParts | null> {
  return partsOf(store, parsePriceDropRef(triggerRef));
}

/** A preview's parts: the latest drop of a product the customer viewed, carted or waited for. */
export async function previewPriceDrop(store: Store, customerId: string): Promise<PriceDropParts | null> {
  return partsOf(store, await findInterestingDropId(store, customerId));
}
