// Reads and claims the version a platform's webhook last applied to one of its
// resources (webhook_resource_versions). The claim leads the batch that applies
// a delivery and aborts it when another delivery got there first with a newer
// or the same state: the rule is src/adapters/platforms/shared/newer-state.ts's
// (its compareVersions is the oracle this SQL follows); this file only writes.
import { and, eq, sql } from 'drizzle-orm';
import { webhookResourceVersions } from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';

export interface ResourceKey {
  platform: string;
  resource: string;
  resourceId: string;
}

export interface ResourceVersion {
  versionAt: number;
  digest: string;
}

export async function readResourceVersion(store: Store, key: ResourceKey): Promise<ResourceVersion | null> {
  const rows = await store.db
    .select({ versionAt: webhookResourceVersions.versionAt, digest: webhookResourceVersions.digest })
    .from(webhookResourceVersions)
    .where(
      and(
        eq(webhookResourceVersions.platform, key.platform),
        eq(webhookResourceVersions.resource, key.resource),
        eq(webhookResourceVersions.resourceId, key.resourceId),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

export interface VersionClaim extends ResourceVersion {
  deliveryId: string | null;
  appliedAt: number;
}

/**
 * Records `claim` as the resource's version, or, when the stored one is newer
 * or is the same version with the same digest, sets version_at to NULL: the
 * NOT NULL constraint then fails and the whole batch rolls back (libSQL and
 * D1 batches are transactions), so two deliveries racing past the read never
 * both apply, and an older one never lands after a newer one.
 */
export function claimResourceVersion(store: Store, key: ResourceKey, claim: VersionClaim): Statement {
  const stored = webhookResourceVersions;
  const newer = sql`excluded.version_at > ${stored.versionAt}
    OR (excluded.version_at = ${stored.versionAt} AND excluded.digest <> ${stored.digest})`;
  return store.db
    .insert(webhookResourceVersions)
    .values({ ...key, ...claim })
    .onConflictDoUpdate({
      target: [stored.platform, stored.resource, stored.resourceId],
      set: {
        versionAt: sql`CASE WHEN ${newer} THEN excluded.version_at END`,
        digest: sql`excluded.digest`,
        deliveryId: sql`excluded.delivery_id`,
        appliedAt: sql`excluded.applied_at`,
      },
    });
}
