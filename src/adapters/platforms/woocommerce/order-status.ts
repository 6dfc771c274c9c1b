// WooCommerce's order statuses as Rekindle's four (src/core/ingest/records.ts:
// paid, cancelled, refunded, test). Only `paid` is a purchase: it counts for
// the dormant trigger, attribution and reports, and only a paid order's coupon
// codes go through the redemption rule. Rekindle has no "not paid yet": an
// order awaiting payment is stored as cancelled (kept, not a purchase) and
// becomes paid when WooCommerce sends it again as processing or completed.
//
// | WooCommerce  | Rekindle  | why                                                       |
// | ------------ | --------- | --------------------------------------------------------- |
// | pending      | cancelled | awaiting payment: not a purchase (yet)                    |
// | processing   | paid      | payment received, being fulfilled                         |
// | on-hold      | cancelled | awaiting payment confirmation (e.g. a bank transfer)      |
// | completed    | paid      | paid and fulfilled                                        |
// | cancelled    | cancelled | cancelled by the shop or the shopper                      |
// | refunded     | refunded  | fully refunded (a partial refund keeps its status)        |
// | failed       | cancelled | payment failed or was declined                            |
// | trash        | cancelled | moved to the bin: no longer an order of the shop's        |
// | other        | paid if date_paid_gmt is set, else cancelled (plugins' own statuses) |
import type { OrderRecord } from '../../../core/ingest/records.ts';

type RekindleStatus = OrderRecord['status'];

export const wooOrderStatuses: Readonly<Record<string, RekindleStatus>> = {
  pending: 'cancelled',
  processing: 'paid',
  'on-hold': 'cancelled',
  completed: 'paid',
  cancelled: 'cancelled',
  refunded: 'refunded',
  failed: 'cancelled',
  trash: 'cancelled',
};

export function rekindleOrderStatus(status: string, datePaidGmt: string | null | undefined): RekindleStatus {
  const known = Object.hasOwn(wooOrderStatuses, status) ? wooOrderStatuses[status] : undefined;
  if (known) return known;
  return datePaidGmt ? 'paid' : 'cancelled';
}
