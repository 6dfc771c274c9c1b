// Reads and writes for the webhook bookkeeping every shop platform shares
// (schema/platform-webhooks.ts): deliveries seen, the platform's versions of
// the resources written, unknown topics counted. The statements that guard a
// write abort the whole batch they are in, so the check and the write are one
// atomic step on libSQL and D1 alike (D1 has no interactive transactions).
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { platformVersions, webhookDeliveries, webhookUnknownTopics } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Statement, Store } from '../store.ts';
import { boundWrites, preparedPerStore } from './prepared.ts';

export interface DeliveryKey {
  platform: string;
  deliveryId: string;
}

export async function deliverySeen(store: Store, key: DeliveryKey): Promise<boolean> {
  const rows = await deliveryById(store).all({ platform: key.platform, deliveryId: key.deliveryId });
  return rows.length > 0;
}

const deliveryById = preparedPerStore((store) =>
  store.db
    .select({ id: webhookDeliveries.deliveryId })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.platform, sql.placeholder('platform')),
        eq(webhookDeliveries.deliveryId, sql.placeholder('deliveryId')),
      ),
    )
    .limit(1)
    .prepare(),
);

/**
 * Records the delivery. A plain INSERT: a second one with the same id (the
 * same delivery applied concurrently) fails its batch, so it is applied once.
 */
export function recordDeliveryStatement(
  store: Store,
  key: DeliveryKey & { topic: string; now: number },
): Statement {
  return insertDelivery(store, {
    platform: key.platform,
    deliveryId: key.deliveryId,
    topic: key.topic,
    receivedAt: key.now,
  });
}

const insertDelivery = boundWrites((store) =>
  store.db.insert(webhookDeliveries).values({
    platform: sql.placeholder('platform'),
    deliveryId: sql.placeholder('deliveryId'),
    topic: sql.placeholder('topic'),
    receivedAt: sql.placeholder('receivedAt'),
  }),
);

/** Forgets deliveries received before `before` (every platform's retries have long stopped by then). */
export function pruneDeliveriesStatement(store: Store, before: number): Statement {
  return pruneDeliveries(store, { before });
}

const pruneDeliveries = boundWrites((store) =>
  store.db.delete(webhookDeliveries).where(lt(webhookDeliveries.receivedAt, sql.placeholder('before'))),
);

export function countUnknownTopicStatement(
  store: Store,
  input: { platform: string; topic: string; now: number },
): Statement {
  return store.db
    .insert(webhookUnknownTopics)
    .values({
      platform: input.platform,
      topic: input.topic,
      count: 1,
      firstSeenAt: input.now,
      lastSeenAt: input.now,
    })
    .onConflictDoUpdate({
      target: [webhookUnknownTopics.platform, webhookUnknownTopics.topic],
      set: { count: sql`${webhookUnknownTopics.count} + 1`, lastSeenAt: input.now },
    });
}

export interface VersionKey {
  platform: string;
  resource: string;
}

/** A resource's stored version: the platform's updated_at (epoch ms) and, where it has one, the body's digest. */
export interface StoredVersion {
  version: number;
  digest: string | null;
}

/** The stored versions of `ids`; an id never written is absent. */
export async function readVersions(
  store: Store,
  key: VersionKey,
  ids: readonly string[],
): Promise<Map<string, StoredVersion>> {
  if (ids.length === 0) return new Map();
  const rows = await versionsByIds(store).all({
    platform: key.platform,
    resource: key.resource,
    ids: sqlJson(ids),
  });
  return new Map(rows.map((row) => [row.id, { version: row.version, digest: row.digest }]));
}

const versionsByIds = preparedPerStore((store) =>
  store.db
    .select({
      id: platformVersions.resourceId,
      version: platformVersions.version,
      digest: platformVersions.digest,
    })
    .from(platformVersions)
    .where(
      and(
        eq(platformVersions.platform, sql.placeholder('platform')),
        eq(platformVersions.resource, sql.placeholder('resource')),
        inArray(platformVersions.resourceId, sql`(SELECT value FROM json_each(${sql.placeholder('ids')}))`),
      ),
    )
    .prepare(),
);

/**
 * Stores a resource's version. Whether the incoming one is newer is
 * compareVersions' rule (adapters/platforms/shared/newer-state-wins.ts, the
 * oracle this SQL is tested against): a later version, or the same version
 * with a different digest when both have one. `mode: 'claim'` requires it to
 * be newer: otherwise the update writes NULL into a NOT NULL column and the
 * batch fails with staleVersionMarker, so a write that raced a newer one is
 * rolled back whole. `mode: 'raise'` keeps the stored one when the incoming
 * one is not newer, and never fails.
 */
export function versionStatement(
  store: Store,
  key: VersionKey & { id: string; version: number; digest?: string | null; mode: 'claim' | 'raise' },
): Statement {
  return storeVersion(
    store,
    {
      platform: key.platform,
      resource: key.resource,
      resourceId: key.id,
      version: key.version,
      digest: key.digest ?? null,
    },
    key.mode,
  );
}

const storeVersion = boundWrites((store, mode) => {
  const incoming = sql.raw('excluded."version"');
  const incomingDigest = sql.raw('excluded."digest"');
  const current = sql`${platformVersions.version}`;
  const currentDigest = sql`${platformVersions.digest}`;
  // A NULL digest makes the second half NULL, never true: without digests only a later version is newer.
  const newer = sql`(${incoming} > ${current} OR (${incoming} = ${current} AND ${incomingDigest} <> ${currentDigest}))`;
  const otherwise = mode === 'claim' ? sql`NULL` : current;
  return store.db
    .insert(platformVersions)
    .values({
      platform: sql.placeholder('platform'),
      resource: sql.placeholder('resource'),
      resourceId: sql.placeholder('resourceId'),
      version: sql.placeholder('version'),
      digest: sql.placeholder('digest'),
    })
    .onConflictDoUpdate({
      target: [platformVersions.platform, platformVersions.resource, platformVersions.resourceId],
      // SQLite evaluates every SET expression against the row as it was.
      set: {
        version: sql`CASE WHEN ${newer} THEN ${incoming} ELSE ${otherwise} END`,
        digest: sql`CASE WHEN ${newer} THEN ${incomingDigest} ELSE ${currentDigest} END`,
      },
    });
});

/** The driver's words when a batch failed on one of the guards above. */
export const staleVersionMarker = 'NOT NULL constraint failed: platform_versions.version';
export const duplicateDeliveryMarker = 'UNIQUE constraint failed: webhook_deliveries';

/** Whether `error` (or a cause of it: drizzle wraps driver errors) says `marker`. */
export function failedOn(error: unknown, marker: string): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current.message.includes(marker)) return true;
    current = current.cause;
  }
  return false;
}
