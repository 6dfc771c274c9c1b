// Storage of API keys: hashes and scopes only, never the secret.
import { and, eq, getTableName, isNull, sql } from 'drizzle-orm';
import { type ApiScope, generateApiKey, hashApiKey } from '../../core/api-keys.ts';
import { apiKeys } from '../schema/index.ts';
import { sqlJson } from '../sql-json.ts';
import type { Store } from '../store.ts';
import { preparedPerStore } from './prepared.ts';

export interface StoredKey {
  id: string;
  name: string;
  scopes: string[];
}

export type ApiKeyRow = typeof apiKeys.$inferInsert;

/** A new key and the row that stores it: the hash and scopes, never the secret. */
export async function newApiKeyRow(input: {
  name: string;
  scopes: ApiScope[];
  now: number;
}): Promise<{ key: { id: string; secret: string }; row: ApiKeyRow }> {
  const key = generateApiKey();
  const row: ApiKeyRow = {
    id: key.id,
    name: input.name,
    hash: await hashApiKey(key.secret),
    scopes: sqlJson(input.scopes),
    createdAt: input.now,
  };
  return { key, row };
}

export async function createApiKey(
  store: Store,
  input: { name: string; scopes: ApiScope[]; now: number },
): Promise<{ id: string; secret: string }> {
  const { key, row } = await newApiKeyRow(input);
  await store.db.insert(apiKeys).values(row);
  return key;
}

/**
 * The same row as one SQL statement, for a database this process cannot
 * reach: `wrangler d1 execute DB --file` on the Worker's D1. Holds the hash,
 * never the secret, so the file is safe to keep.
 */
export function apiKeyInsertSql(row: ApiKeyRow): string {
  const literal = (value: string | number) =>
    typeof value === 'number' ? String(Math.trunc(value)) : `'${value.replaceAll("'", "''")}'`;
  const columns = [apiKeys.id, apiKeys.name, apiKeys.hash, apiKeys.scopes, apiKeys.createdAt];
  const values = [row.id, row.name, row.hash, row.scopes, row.createdAt];
  return `insert into ${getTableName(apiKeys)} (${columns.map((c) => c.name).join(', ')}) values (${values
    .map(literal)
    .join(', ')});\n`;
}

const activeKeyByHash = preparedPerStore((store) =>
  store.db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, sql.placeholder('hash')), isNull(apiKeys.revokedAt)))
    .limit(1)
    .prepare(),
);

export async function findActiveKey(store: Store, secret: string): Promise<StoredKey | undefined> {
  return findActiveKeyByHash(store, await hashApiKey(secret));
}

/** The unrevoked key stored under this hash (hashApiKey of its secret). */
export async function findActiveKeyByHash(store: Store, hash: string): Promise<StoredKey | undefined> {
  const [row] = await activeKeyByHash(store).all({ hash });
  return row ? { id: row.id, name: row.name, scopes: JSON.parse(row.scopes) as string[] } : undefined;
}

export async function listApiKeys(store: Store) {
  const rows = await store.db.select().from(apiKeys).orderBy(apiKeys.createdAt);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  }));
}

export async function revokeApiKey(store: Store, id: string, now: number): Promise<boolean> {
  const revoked = await store.db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}
