// The statements that stop all marketing mail to an address at once: every
// customer row with that id or address is suppressed (the first reason
// stays), its hash goes into `suppressions` so the address stays unmailable
// after erasure or under a new customer id, and messages still waiting in the
// outbox are cancelled. Returns statements for the caller's atomic batch; it
// never runs them itself and never logs an address.
import { and, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { customers, messages, suppressions } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';
import { chunkForParams } from './upsert-helpers.ts';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained' | 'erased';

export interface AddressTarget {
  customerId: string | null;
  /** Normalized (trimmed, lowercased) address, when known. */
  email: string | null;
  /** hashEmail(email), when the address is known. */
  emailHash: string | null;
}

export interface SuppressOptions {
  reason: SuppressionReason;
  now: number;
  /** Also record that marketing consent was withdrawn (unsubscribe, complaint, erasure). */
  withdrawConsent: boolean;
}

// A handful of parameters in each statement are not keys (times, reasons), and
// the messages statement binds each address twice.
const fixedParams = 8;

export function suppressAddressStatements(
  store: Store,
  targets: readonly AddressTarget[],
  options: SuppressOptions,
): Statement[] {
  const keys = uniqueKeys(targets);
  if (keys.length === 0) return [];
  const { reason, now } = options;
  const keyChunks = chunkForParams(keys, 2, {
    ...store.limits,
    maxParams: store.limits.maxParams - fixedParams,
  });
  const statements: Statement[] = [];

  for (const chunk of keyChunks) {
    const match = matchKeys(chunk, customers.id, customers.email);
    const consent = options.withdrawConsent
      ? {
          marketingConsent: false,
          consentUpdatedAt: sql`CASE WHEN ${customers.marketingConsent} = 1 THEN ${now} ELSE ${customers.consentUpdatedAt} END`,
        }
      : {};
    const pending = options.withdrawConsent
      ? or(sql`${customers.suppressedAt} IS NULL`, eq(customers.marketingConsent, true))
      : sql`${customers.suppressedAt} IS NULL`;
    statements.push(
      store.db
        .update(customers)
        .set({
          suppressedAt: sql`coalesce(${customers.suppressedAt}, ${now})`,
          suppressionReason: sql`coalesce(${customers.suppressionReason}, ${reason})`,
          ...consent,
          updatedAt: now,
        })
        .where(and(match, pending)),
    );
    statements.push(
      store.db
        .update(messages)
        .set({ status: 'cancelled', cancelReason: reason, leaseUntil: null, updatedAt: now })
        .where(and(eq(messages.status, 'scheduled'), matchMessages(chunk))),
    );
  }

  const hashes = [...new Set(targets.flatMap((t) => (t.emailHash ? [t.emailHash] : [])))];
  for (const chunk of chunkForParams(hashes, 3, store.limits)) {
    statements.push(
      store.db
        .insert(suppressions)
        .values(chunk.map((emailHash) => ({ emailHash, reason, createdAt: now })))
        .onConflictDoNothing({ target: suppressions.emailHash }),
    );
  }
  return statements;
}

type Key = { kind: 'id' | 'email'; value: string };

function uniqueKeys(targets: readonly AddressTarget[]): Key[] {
  const seen = new Set<string>();
  const keys: Key[] = [];
  const add = (kind: Key['kind'], value: string | null) => {
    if (!value || seen.has(`${kind}\u0000${value}`)) return;
    seen.add(`${kind}\u0000${value}`);
    keys.push({ kind, value });
  };
  for (const target of targets) {
    add('id', target.customerId);
    add('email', target.email);
  }
  return keys;
}

function matchKeys(keys: readonly Key[], idColumn: SQLiteColumn, emailColumn: SQLiteColumn): SQL {
  const ids = keys.filter((k) => k.kind === 'id').map((k) => k.value);
  const emails = keys.filter((k) => k.kind === 'email').map((k) => k.value);
  const parts: SQL[] = [];
  if (ids.length > 0) parts.push(inArray(idColumn, ids));
  if (emails.length > 0) parts.push(inArray(emailColumn, emails));
  return parts.length === 1 ? parts[0]! : (or(...parts) as SQL);
}

// Every term can use an index: a message's own customer, any customer row with
// the address, and guest messages (no customer) by address.
function matchMessages(keys: readonly Key[]): SQL {
  const ids = keys.filter((k) => k.kind === 'id').map((k) => k.value);
  const emails = keys.filter((k) => k.kind === 'email').map((k) => k.value);
  const parts: SQL[] = [];
  if (ids.length > 0) parts.push(inArray(messages.customerId, ids));
  if (emails.length > 0) {
    parts.push(
      inArray(
        messages.customerId,
        sql`(SELECT ${customers.id} FROM ${customers} WHERE ${inArray(customers.email, emails)})`,
      ),
      and(isNull(messages.customerId), inArray(messages.email, emails)) as SQL,
    );
  }
  return parts.length === 1 ? parts[0]! : (or(...parts) as SQL);
}
