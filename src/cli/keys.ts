// rekindle keys create|list|revoke: manage API keys. A new key is printed once.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type ApiScope, apiScopes } from '../core/api-keys.ts';
import {
  apiKeyInsertSql,
  createApiKey,
  listApiKeys,
  newApiKeyRow,
  revokeApiKey,
} from '../db/repositories/api-keys.ts';
import { type CliIO, type Command, newFileError, printJson, printTable, UsageError } from './io.ts';

export const keysCommand: Command = async (argv, io) => {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      scopes: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
      sql: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (values.sql !== undefined) {
    if (action !== 'create')
      throw new UsageError('--sql goes with create: rekindle keys create --scopes ... --sql FILE');
    return createAsSql(io, values.sql, {
      name: values.name ?? 'default',
      scopes: parseScopes(values.scopes),
    });
  }
  const store = await io.openStore();
  try {
    if (action === 'create') {
      const scopes = parseScopes(values.scopes);
      const key = await createApiKey(store, { name: values.name ?? 'default', scopes, now: io.now() });
      if (values.json) printJson(io, { id: key.id, key: key.secret, scopes });
      else io.stdout.write(`${key.secret}\n`);
      if (!values.json)
        io.stderr.write(
          `key ${key.id} with scopes ${scopes.join(',')}; store it now, it is not shown again\n`,
        );
      return 0;
    }
    if (action === 'list') {
      const keys = (await listApiKeys(store)).map((k) => ({
        id: k.id,
        name: k.name,
        scopes: k.scopes,
        created: new Date(k.createdAt).toISOString(),
        revoked: k.revokedAt ? new Date(k.revokedAt).toISOString() : null,
      }));
      if (values.json) printJson(io, keys);
      else printTable(io, keys);
      return 0;
    }
    if (action === 'revoke') {
      const id = positionals[0];
      if (!id) throw new UsageError('usage: rekindle keys revoke KEY_ID');
      if (!(await revokeApiKey(store, id, io.now()))) throw new UsageError(`no active key with id '${id}'`);
      io.stdout.write(`revoked ${id}\n`);
      return 0;
    }
    throw new UsageError(
      'usage: rekindle keys create --scopes ingest,coupons [--name NAME] | list [--json] | revoke ID',
    );
  } finally {
    await store.close();
  }
};

/**
 * `keys create --sql FILE`: the key for a database this process cannot reach
 * (the Worker's D1). Writes the INSERT to FILE and prints the key once; opens
 * no database. `wrangler d1 execute DB --file FILE` stores it.
 */
async function createAsSql(
  io: CliIO,
  file: string,
  input: { name: string; scopes: ApiScope[] },
): Promise<number> {
  const { key, row } = await newApiKeyRow({ ...input, now: io.now() });
  await writeFile(file, apiKeyInsertSql(row), { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    throw newFileError(file, error);
  });
  io.stdout.write(`${key.secret}\n`);
  io.stderr.write(
    `key ${key.id} with scopes ${input.scopes.join(',')}; store it now, it is not shown again\n` +
      `apply it: npx wrangler d1 execute DB --local --file ${file} (without --local for the deployed D1)\n`,
  );
  return 0;
}

function parseScopes(text: string | undefined): ApiScope[] {
  if (!text) throw new UsageError(`--scopes is required, a comma-separated list of: ${apiScopes.join(', ')}`);
  const scopes = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(apiScopes as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new UsageError(`unknown scope '${unknown.join("', '")}'; allowed: ${apiScopes.join(', ')}`);
  }
  return scopes as ApiScope[];
}
