// Looks up an active API key by id for dashboard sessions: the session cookie
// names the key and is signed with the key's stored hash, so revoking the key
// ends every session made with it. Never returns or logs the secret.
import { and, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../schema/index.ts';
import type { Store } from '../store.ts';

export interface SessionKey {
  id: string;
  name: string;
  scopes: string[];
  /** SHA-256 of the secret, as stored; the session signing key. */
  hash: string;
}

export async function findActiveKeyById(store: Store, id: string): Promise<SessionKey | undefined> {
  const [row] = await store.db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, hash: apiKeys.hash })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ? { ...row, scopes: JSON.parse(row.scopes) as string[] } : undefined;
}
