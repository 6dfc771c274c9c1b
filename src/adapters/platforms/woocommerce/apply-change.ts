// Applying one WooCommerce change exactly when it is newer than what is
// stored, by the one rule of shared/newer-state-wins.ts: the resource's
// date_modified_gmt is the version and the body's SHA-256 the digest (two saves
// in one second share a date_modified_gmt; the same body again is the same
// delivery). The claim and the change's statements are one atomic batch, so
// a delivery overtaken between its read and its write is rolled back whole.
//
// WooCommerce's deliveries have no id the ledger (shared/webhook-ledger.ts)
// could key on: X-WC-Webhook-Delivery-ID is a hash of the webhook id and the
// current second (WC_Webhook::get_new_delivery_id), shared by every delivery
// of one webhook in that second, and WooCommerce never redelivers. The
// version alone tells a repeat from a change.
import { failedOn, readVersions, staleVersionMarker } from '../../../db/repositories/platform-webhooks.ts';
import type { Statement, Store } from '../../../db/store.ts';
import { claimVersions, compareVersions, type VersionVerdict } from '../shared/newer-state-wins.ts';
import type { DeliveryOutcome } from '../shared/webhook-ledger.ts';

export const wooPlatform = 'woocommerce';

export interface WooChange {
  /** order, customer, product. */
  resource: string;
  resourceId: string;
  /**
   * The resource's date_modified_gmt, epoch ms; null for a deletion, which
   * names only the id. A deletion is versioned just past what is stored (at
   * the receipt time when that is later), so older states still arriving are
   * not applied after it; the same deletion again, with nothing applied
   * since, is a duplicate.
   */
  version: number | null;
  /** SHA-256 (hex) of the delivery's body. */
  digest: string;
  /**
   * A state read back from the REST API (woocommerce/sync.ts), not
   * delivered: at the stored date_modified_gmt it is the state already
   * stored (a delivery of that second, or an earlier sync, wrote it), so only
   * a later date_modified_gmt is newer.
   */
  readBack?: boolean | undefined;
}

/** Writes what `build` makes when `change` is newer than the stored state; `build` runs only then. */
export async function applyIfNewer(
  store: Store,
  change: WooChange,
  now: number,
  build: () => Promise<Statement[]>,
): Promise<DeliveryOutcome> {
  const key = { platform: wooPlatform, resource: change.resource };
  const stored = await storedVersion(store, key, change.resourceId);
  // A deletion repeated with nothing applied in between: its body (the id) is what is stored.
  if (change.version === null && stored?.digest === change.digest) return 'duplicate';
  const incoming = {
    id: change.resourceId,
    version: change.version ?? Math.max(now, (stored?.version ?? 0) + 1),
    digest: change.digest,
  };
  const verdict =
    change.readBack && stored?.version === incoming.version ? 'same' : compareVersions(stored, incoming);
  if (verdict !== 'newer') return outcomeOf(verdict);
  const statements = await build();
  try {
    await store.batch([...claimVersions(store, key, [incoming]), ...statements]);
    return 'applied';
  } catch (error) {
    if (!failedOn(error, staleVersionMarker)) throw error;
    // A racing delivery got there first with a state at least as new; nothing of this one was written.
    return outcomeOf(compareVersions(await storedVersion(store, key, change.resourceId), incoming));
  }
}

/** SHA-256 (hex) of a body: a state's digest. */
export async function sha256Hex(body: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function storedVersion(store: Store, key: { platform: string; resource: string }, id: string) {
  return (await readVersions(store, key, [id])).get(id);
}

function outcomeOf(verdict: VersionVerdict): DeliveryOutcome {
  return verdict === 'same' ? 'duplicate' : 'stale';
}
