// The dedupe key of src/core/selection/dedupe-key.ts as an SQL expression,
// made from the owner's parts, so a sweep's "already messaged?" lookup asks
// for exactly the key runSweep writes (a test on a real libSQL file compares
// both). Expressions only; no queries here.
import { type SQL, sql } from 'drizzle-orm';
import { dedupeKeyParts, dedupeKeyPrefix } from '../../core/selection/dedupe-key.ts';
import { literal } from './trigger-ref-sql.ts';

/** The customer id, else `email:<address>`, as customerKey formats it. */
export function customerKeySql(customerId: SQL, email: SQL): SQL {
  return sql`coalesce(${customerId}, ${literal(dedupeKeyParts.guest)} || ${email})`;
}

/**
 * `campaign:step:customer:instance`. A step known in TypeScript goes in as
 * part of one bound text prefix: libSQL binds JS numbers as REAL, and a REAL
 * step would read '0.0' inside the key. A step computed in SQL must be an
 * integer expression.
 */
export function dedupeKeySql(campaignId: string, step: number | SQL, customerKey: SQL, instance: SQL): SQL {
  const sep = literal(dedupeKeyParts.separator);
  const prefix =
    typeof step === 'number'
      ? sql`${dedupeKeyPrefix(campaignId, step)}`
      : sql`${campaignId} || ${sep} || ${step} || ${sep}`;
  return sql`${prefix} || ${customerKey} || ${sep} || ${instance}`;
}
