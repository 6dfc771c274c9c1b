// The key row `rekindle keys create --sql` writes, applied to D1 as `wrangler
// d1 execute --file` would, lets the printed key into the Worker.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { apiKeyInsertSql, newApiKeyRow } from '../../src/db/repositories/api-keys.ts';
import { postJson } from './support/worker-client.ts';

describe('a key made for D1 by the CLI', () => {
  it('authenticates an ingest once its SQL is executed on D1', async () => {
    const { key, row } = await newApiKeyRow({ name: 'wrangler dev', scopes: ['ingest'], now: Date.now() });
    const customer = { id: `k-${key.id}`, email: 'ada@example.com', marketing_consent: true };
    expect((await postJson('/v1/customers', customer, key.secret)).status).toBe(401);
    await env.DB.prepare(apiKeyInsertSql(row)).run();
    const answer = await postJson('/v1/customers', customer, key.secret);
    expect(answer.status).toBe(200);
  });
});
