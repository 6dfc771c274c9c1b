// Writes for customers. Suppression and consent history are never touched by an
// upsert: a platform re-sending a customer must not un-suppress them.
import type { CustomerRecord } from '../../core/ingest/records.ts';
import { customers } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import { jsonRowsWrites, updateWhenChanged } from './upsert-helpers.ts';

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
    tags: sqlJson(c.tags),
    marketingConsent: c.marketingConsent,
    consentUpdatedAt: now,
    createdAt: c.createdAt ?? now,
    updatedAt: now,
  }));
  return upsertRows(store, rows);
}

const upsertRows = jsonRowsWrites(customers, (store, select) =>
  store.db
    .insert(customers)
    .select(select)
    .onConflictDoUpdate({ target: customers.id, ...onChange }),
);

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
  // One JSON value per statement (see jsonRows): building a multi-row VALUES
  // with a placeholder per value took the import's parse worker 20-40 ms per
  // chunk of 200 new customers.
  return insertStubs(store, rows);
}

const insertStubs = jsonRowsWrites(customers, (store, select) =>
  store.db.insert(customers).select(select).onConflictDoNothing({ target: customers.id }),
);
