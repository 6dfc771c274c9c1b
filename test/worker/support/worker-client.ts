// Helpers for worker tests: calls go through the runtime to the Worker's real
// default export (same env, same D1 the test reads back), and rows are made
// with the repositories the app itself uses.
import { env, exports } from 'cloudflare:workers';
import type { ApiScope } from '../../../src/core/api-keys.ts';
import { openD1Store } from '../../../src/db/d1.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import type { Store } from '../../../src/db/store.ts';

export const baseUrl = 'https://rekindle.test';

export function testStore(): Store {
  return openD1Store(env.DB);
}

export async function createKey(scopes: ApiScope[]): Promise<string> {
  const key = await createApiKey(testStore(), { name: `test ${scopes.join(',')}`, scopes, now: Date.now() });
  return key.secret;
}

export function postJson(path: string, body: unknown, key: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return exports.default.fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/**
 * Storage is shared by every test file in the project, so each test tags its
 * ids with a fresh prefix and reads back only its own rows.
 */
export function uniquePrefix(): string {
  return `t${crypto.randomUUID().slice(0, 8)}`;
}

/** `count` orders with `itemsEach` line items each, as a shop platform sends them. */
export function orderBatch(prefix: string, count: number, itemsEach: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-order-${i}`,
    customer_id: `${prefix}-customer-${i % 7}`,
    placed_at: '2026-10-01T09:30:00-04:00',
    currency: 'EUR',
    total: `${itemsEach * 12}.50`,
    discount_codes: i % 2 === 0 ? ['back-15'] : [],
    items: Array.from({ length: itemsEach }, (_, line) => ({
      product_id: `${prefix}-product-${line}`,
      title: `Item ${line}`,
      quantity: line + 1,
      unit_price: '4.1',
    })),
  }));
}

export async function countRows(table: 'orders' | 'order_items', column: string, prefix: string) {
  const row = await env.DB.prepare(`select count(*) as n from ${table} where ${column} like ?`)
    .bind(`${prefix}-%`)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
