import { dayMs } from '../time.ts';
// The attribution rules, as plain functions over plain facts. The SQL in
// src/db/repositories/attribution.ts applies the same rules set-based over the
// whole store; tests hold the two to each other. Pure: no clock, no database.
//
// 1. An order that used a campaign's coupon belongs to the message that issued
//    the coupon, whatever else the customer was mailed ("redeemed").
// 2. Otherwise it belongs to the latest touch at or before the order whose
//    window still covers it ("influenced"). A touch is a message being sent or
//    clicked; for a held-out customer it is the time their held-out message
//    fell due, and such orders count for the control group.
// 3. The window is the touching campaign's attribution_days, both ends
//    included: exactly N days after still counts, one millisecond more does not.

export type Group = 'mailed' | 'held_out';

export interface Touch {
  messageId: string;
  campaignId: string;
  customerId: string;
  group: Group;
  /** Epoch ms: sent_at, a click's time, or a held-out message's due_at. */
  at: number;
  attributionDays: number;
}

export interface OrderFacts {
  id: string;
  customerId: string;
  placedAt: number;
  /** The message that issued a coupon this order used, when it was sent. */
  couponMessageId: string | null;
}

export type Attribution =
  | { kind: 'redeemed'; orderId: string; messageId: string }
  | { kind: 'influenced'; orderId: string; messageId: string; group: Group };

export function windowCovers(touchAt: number, placedAt: number, attributionDays: number): boolean {
  return placedAt >= touchAt && placedAt - touchAt <= attributionDays * dayMs;
}

/** Which message, if any, an order is credited to. */
export function attributeOrder(order: OrderFacts, touches: readonly Touch[]): Attribution | null {
  if (order.couponMessageId !== null) {
    return { kind: 'redeemed', orderId: order.id, messageId: order.couponMessageId };
  }
  let best: Touch | null = null;
  for (const touch of touches) {
    if (touch.customerId !== order.customerId) continue;
    if (!windowCovers(touch.at, order.placedAt, touch.attributionDays)) continue;
    // Latest touch wins; equal times fall to the larger message id so the
    // choice never depends on input order (the SQL breaks ties the same way).
    if (best === null || touch.at > best.at || (touch.at === best.at && touch.messageId > best.messageId)) {
      best = touch;
    }
  }
  return best && { kind: 'influenced', orderId: order.id, messageId: best.messageId, group: best.group };
}
