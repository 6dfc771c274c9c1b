// The one owner of the dedupe key, `campaign:step:customer:instance`, unique
// in the messages table so nothing is mailed twice, and of the customer key
// inside it (the customer id, else `email:<address>` for guests). Keys are
// built and compared, never taken apart: customer ids and cart ids may hold
// ':', so the owner exports the parts instead of a parser, and the SQL that
// builds the same key (src/db/sweeps/trigger-ref-sql.ts) is made from them.
import type { Hit } from './types.ts';

export const dedupeKeyParts = {
  separator: ':',
  /** Before a guest's address, in place of a customer id. */
  guest: 'email:',
} as const;

const { separator, guest } = dedupeKeyParts;

/** Who a message goes to, for the key and the per-customer rules. */
export function customerKey(hit: Pick<Hit, 'customerId' | 'email'>): string {
  return hit.customerId ?? `${guest}${hit.email}`;
}

/** `campaign:step:`, the part of the key a campaign step shares. */
export function dedupeKeyPrefix(campaignId: string, step: number): string {
  return `${campaignId}${separator}${step}${separator}`;
}

export function dedupeKey(
  hit: Pick<Hit, 'campaignId' | 'step' | 'customerId' | 'email' | 'instance'>,
): string {
  return `${dedupeKeyPrefix(hit.campaignId, hit.step)}${customerKey(hit)}${separator}${hit.instance}`;
}
