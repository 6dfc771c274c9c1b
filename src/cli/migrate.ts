// rekindle migrate: applies pending migrations to the libSQL database.
import { migrateLibsql, openLibsqlStore } from '../db/libsql.ts';
import type { Command } from './io.ts';

export const migrateCommand: Command = async (_argv, io) => {
  const store = await openLibsqlStore({
    url: io.config.DATABASE_URL,
    authToken: io.config.DATABASE_AUTH_TOKEN,
  });
  try {
    await migrateLibsql(store);
    io.stdout.write(`migrated ${redactUrl(io.config.DATABASE_URL)}\n`);
    return 0;
  } finally {
    await store.close();
  }
};

/** Database URLs may carry credentials; never print them. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/([?&](authToken|token)=)[^&]*/i, '$1***');
}
