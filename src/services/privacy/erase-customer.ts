// DELETE /v1/customers/:id: erases a customer's personal data in one atomic
// batch. First, while the address is still there to match on, it is
// suppressed with its hash kept (so it is never mailed again, under any id)
// and whatever waits in the outbox for it is cancelled; then their events for
// the shop, names, address, user agents and IPs go. Counts stay. Idempotent:
// a second call changes nothing and returns the first erasure's time. Never
// logs an address.
import { hashEmail } from '../../core/email-hash.ts';
import { eraseEventsStatement } from '../../db/repositories/outgoing-events.ts';
import { erasureStatements, findErasedAt, findOwner } from '../../db/repositories/privacy.ts';
import { suppressAddressStatements } from '../../db/repositories/suppress-address.ts';
import type { Store } from '../../db/store.ts';

export interface EraseCustomerPorts {
  store: Store;
}

export interface EraseCustomerInput {
  customerId: string;
  now: number;
}

/** Null for a customer never seen. */
export type EraseResult = { erasedAt: number } | null;

export async function eraseCustomer(
  ports: EraseCustomerPorts,
  input: EraseCustomerInput,
): Promise<EraseResult> {
  const { store } = ports;
  const { now } = input;
  const owner = await findOwner(store, input.customerId);
  if (!owner) return null;
  const emailHash = owner.email ? await hashEmail(owner.email) : null;
  await store.batch([
    ...suppressAddressStatements(store, [{ customerId: owner.id, email: owner.email, emailHash }], {
      reason: 'erased',
      now,
      withdrawConsent: true,
    }),
    // Before the erasure clears the addresses that find their guest mail.
    eraseEventsStatement(store, owner),
    ...erasureStatements(store, owner, { emailHash, now }),
  ]);
  return { erasedAt: (await findErasedAt(store, owner.id)) ?? now };
}
