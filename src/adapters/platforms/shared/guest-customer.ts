// The one format of the customer id a shop platform's guest order is stored
// under (an order without a customer account): `guest:` and the SHA-256 of the
// normalized address, the same hash the suppression list keys on, so one
// shopper's guest orders share one id, stable across orders and platforms, and
// the id spells no address (an erased guest keeps only the hash, as
// suppression does). A guest order without an address is its own customer:
// `guest:order:<order id>`.
import { hashEmailSync } from '../../../core/email-hash.ts';

export const guestIdPrefix = 'guest:';

export function guestCustomerId(email: string | null, orderId: string): string {
  return email ? `${guestIdPrefix}${hashEmailSync(email)}` : `${guestIdPrefix}order:${orderId}`;
}

export function isGuestCustomerId(id: string): boolean {
  return id.startsWith(guestIdPrefix);
}
