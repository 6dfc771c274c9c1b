// D1 home of the store, for the Worker. Migrations are applied by wrangler from
// the same drizzle/ folder (migrations_dir in wrangler.toml).
import type { D1Database } from '@cloudflare/workers-types';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema/index.ts';
import { d1Limits, type Statement, type Store } from './store.ts';

export function openD1Store(binding: D1Database): Store {
  const db = drizzle(binding, { schema });
  return {
    db: db as unknown as Store['db'],
    limits: d1Limits,
    async batch(statements: Statement[]) {
      if (statements.length === 0) return [];
      return db.batch(statements as [Statement, ...Statement[]]);
    },
    async close() {},
  };
}
