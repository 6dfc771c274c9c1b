// Shared set-up for the tracking, events and privacy tests: an app with a
// real token signer on a temp libSQL store, shopper tokens for the browse
// door, and rows written the way the sweep and the delivery loop write them.
import { sql } from 'drizzle-orm';
import { nodeHmacSha256 } from '../../../src/adapters/crypto/node-signer.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { shopperTokensWith } from '../../../src/core/tracking/shopper-token.ts';
import { createTokenSigner, type TokenSigner, trackingPaths } from '../../../src/core/tracking/tokens.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { messages } from '../../../src/db/schema/index.ts';
import type { Store } from '../../../src/db/store.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';

export const baseUrl = 'https://mail.shop.example';
export const signingSecret = 'test-signing-secret-0123456789';
/** SHOPPER_TOKEN_SECRET for the browse door's tests, and its tokens. */
export const shopperSecret = 'shopper-token-secret-0123';
export const shopperTokens = shopperTokensWith(nodeHmacSha256(shopperSecret));

export interface TrackingApp {
  app: ReturnType<typeof createApp>;
  signer: TokenSigner;
  clock: { now: number };
}

export async function trackingApp(store: Store, start: number): Promise<TrackingApp> {
  const signer = await createTokenSigner(signingSecret);
  const clock = { now: start };
  const app = createApp({ store, now: () => clock.now, tracking: { signer, baseUrl } });
  return { app, signer, clock };
}

export async function apiKey(store: Store, scopes: Parameters<typeof createApiKey>[1]['scopes']) {
  return (await createApiKey(store, { name: scopes.join('+'), scopes, now: 0 })).secret;
}

export async function seedCustomer(
  store: Store,
  id: string,
  now: number,
  extra: Record<string, unknown> = {},
) {
  const record = ingestSchemas.customers.parse({
    id,
    email: `${id}@example.com`,
    first_name: 'Ada',
    last_name: 'Lovelace',
    marketing_consent: true,
    ...extra,
  });
  await ingestRecords({ store }, { kind: 'customers', records: [record], now });
}

export interface SeedMessage {
  id: string;
  customerId: string | null;
  email: string | null;
  status?: 'scheduled' | 'sent' | 'held_out';
  links?: string[];
  sentAt?: number | null;
  providerMessageId?: string | null;
  campaignId?: string;
  at: number;
}

export async function seedMessage(store: Store, m: SeedMessage): Promise<void> {
  const status = m.status ?? 'sent';
  await store.db.insert(messages).values({
    id: m.id,
    dedupeKey: `${m.campaignId ?? 'winback'}:0:${m.customerId ?? `email:${m.email}`}:${m.id}`,
    campaignId: m.campaignId ?? 'winback',
    step: 0,
    customerId: m.customerId,
    email: m.email,
    triggerKind: 'dormant',
    triggerRef: `episode-${m.id}`,
    status,
    dueAt: m.at,
    links: m.links ? JSON.stringify(m.links) : null,
    providerMessageId: m.providerMessageId ?? null,
    sentAt: status === 'sent' ? (m.sentAt ?? m.at) : null,
    createdAt: m.at,
    updatedAt: m.at,
  });
}

export async function events(store: Store, messageId?: string) {
  const where = messageId === undefined ? sql`` : sql`WHERE message_id = ${messageId}`;
  return store.db.all<{
    message_id: string;
    kind: string;
    at: number;
    link_index: number | null;
    is_proxy: number;
    detail: string | null;
    user_agent: string | null;
    ip: string | null;
  }>(sql`SELECT * FROM tracking_events ${where} ORDER BY id`);
}

export async function messageStatus(store: Store, id: string) {
  const [row] = await store.db.all<{ status: string; cancel_reason: string | null }>(
    sql`SELECT status, cancel_reason FROM messages WHERE id = ${id}`,
  );
  return row;
}

export async function customerRow(store: Store, id: string) {
  const [row] = await store.db.all<Record<string, unknown>>(sql`SELECT * FROM customers WHERE id = ${id}`);
  return row;
}

export async function suppressionHashes(store: Store): Promise<string[]> {
  const rows = await store.db.all<{ email_hash: string }>(
    sql`SELECT email_hash FROM suppressions ORDER BY 1`,
  );
  return rows.map((r) => r.email_hash);
}

export async function paths(signer: TokenSigner, messageId: string) {
  return {
    open: trackingPaths.open(await signer.sign({ purpose: 'open', messageId })),
    click: async (linkIndex: number) =>
      trackingPaths.click(await signer.sign({ purpose: 'click', messageId, linkIndex })),
    unsubscribe: trackingPaths.unsubscribe(await signer.sign({ purpose: 'unsubscribe', messageId })),
  };
}
