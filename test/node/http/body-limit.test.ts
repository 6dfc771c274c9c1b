// The /v1 body size limit over real HTTP, where it matters how the body
// arrives: with a Content-Length it is judged by the header before anything is
// read; chunked, it is counted as it streams. Either way an oversized body gets
// 413 and stores nothing; a body within the limit reaches its route.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, maxBodyBytes } from '../../../src/http/create-app.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import { apiKey } from '../support/tracking-fixtures.ts';

let temp: TempStore;
let server: ReturnType<typeof serve>;
let base: string;
let key: string;
beforeEach(async () => {
  temp = await openTempStore();
  key = await apiKey(temp.store, ['ingest']);
  const app = createApp({ store: temp.store, now: () => Date.parse('2026-03-02T10:00:00Z') });
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  base = `http://127.0.0.1:${port}`;
});
afterEach(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  await temp.cleanup();
});

const customers = (count: number, padding: number) =>
  JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      id: `c${i}`,
      email: `c${i}@example.com`,
      first_name: 'x'.repeat(padding),
    })),
  );

function post(body: string | ReadableStream<Uint8Array>, extra: RequestInit = {}) {
  return fetch(`${base}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
    ...extra,
  });
}

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

describe('body size limit over HTTP', () => {
  it('refuses a declared length over the limit with 413, storing nothing', async () => {
    const before = await snapshot(temp.store);
    const body = customers(900, 2500);
    expect(Buffer.byteLength(body)).toBeGreaterThan(maxBodyBytes);
    const response = await post(body);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('counts a chunked body as it streams and refuses it past the limit', async () => {
    const before = await snapshot(temp.store);
    const response = await post(chunked(customers(900, 2500)), { duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('lets bodies within the limit through, declared or chunked', async () => {
    expect((await post(customers(2, 10))).status).toBe(200);
    expect((await post(chunked(customers(3, 10)), { duplex: 'half' } as RequestInit)).status).toBe(200);
    const stored = await temp.store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM customers`);
    expect(stored[0]?.n).toBe(3);
  });
});
