// Writes for customers. Suppression and consent history are never touched by an
// upsert: a platform re-sending a customer must not un-suppress them.
import type { CustomerRecord } from '../../core/ingest/records.ts';
import { customers } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { chunkForParams, columnCount, updateWhenChanged } from './upsert-helpers.ts';

const onChange = updateWhenChanged(
  [
    customers.email,
    customers.firstName,
    customers.lastName,
    customers.locale,
    customers.timezone,
    customers.country,
    customers.tags,
    customers.marketingConsent,
  ],
  [customers.updatedAt],
);

export function upsertCustomers(store: Store, records: readonly CustomerRecord[], now: number): Statement[] {
  const rows = records.map((c) => ({
    id: c.id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    locale: c.locale,
    timezone: c.timezone,
    country: c.country,
    tags: JSON.stringify(c.tags),
    marketingConsent: c.marketingConsent,
    consentUpdatedAt: now,
    createdAt: c.createdAt ?? now,
    updatedAt: now,
  }));
  return chunkForParams(rows, columnCount(customers), store.limits).map((chunk) =>
    store.db
      .insert(customers)
      .values(chunk)
      .onConflictDoUpdate({ target: customers.id, ...onChange }),
  );
}

/** A customer known only from an order or cart: created if missing, never overwritten. */
export interface CustomerStub {
  id: string;
  email: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export function insertCustomerStubs(store: Store, stubs: readonly CustomerStub[], now: number): Statement[] {
  const rows = stubs.map((s) => ({
    id: s.id,
    email: s.email,
    firstName: s.firstName ?? null,
    lastName: s.lastName ?? null,
    createdAt: now,
    updatedAt: now,
  }));
  return chunkForParams(rows, columnCount(customers), store.limits).map((chunk) =>
    store.db.insert(customers).values(chunk).onConflictDoNothing({ target: customers.id }),
  );
}
