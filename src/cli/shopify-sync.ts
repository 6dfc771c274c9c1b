// rekindle shopify sync: backfills the shop's customers, products, orders and
// abandoned checkouts through the Admin GraphQL API (adapters/platforms/
// shopify/sync.ts), through the same ingest verb the webhooks use. Progress
// on stderr when it is a terminal; the summary as a table or --json. A sync
// that stops (outage, throttle too long to wait) exits 1 and the next one
// goes on after the last whole page.
import type { FetchPort } from '../adapters/platforms/shared/platform-fetch.ts';
import type { PlatformPorts } from '../adapters/platforms/shared/ports.ts';
import { createShopifyAdminApi } from '../adapters/platforms/shopify/admin-api.ts';
import { type ResourceSummary, syncShopify } from '../adapters/platforms/shopify/sync.ts';
import { type SyncResource, syncResources } from '../adapters/platforms/shopify/sync-queries.ts';
import { checkoutPlatformsConfig } from '../config/env.ts';
import { ingestStatements } from '../services/ingest/ingest-records.ts';
import { eraseCustomer } from '../services/privacy/erase-customer.ts';
import { loadCampaignSetFor } from './campaign-set.ts';
import { type CliIO, printJson, printTable, UsageError } from './io.ts';

/** What tests hand in instead of the real Shopify: its fetch, its base URL, a clock's sleep. */
export interface SyncWiring {
  fetch?: FetchPort | undefined;
  baseUrl?: string | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** The options, parsed by shopify.ts. */
export async function shopifySync(
  values: { only?: string | undefined; json?: boolean | undefined },
  io: CliIO,
  wiring: SyncWiring = {},
): Promise<number> {
  const resources = parseOnly(values.only);
  const shopify = checkoutPlatformsConfig(io.config).shopify;
  if (!shopify) {
    throw new UsageError(
      'shopify sync needs SHOPIFY_SHOP_DOMAIN and SHOPIFY_ADMIN_TOKEN (scopes read_customers, read_orders, read_products)',
    );
  }
  const set = await loadCampaignSetFor(io, 'nothing synced');
  if (!set) return 1;
  const sleep = wiring.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const api = createShopifyAdminApi(
    { ...shopify, baseUrl: wiring.baseUrl },
    { fetch: wiring.fetch ?? ((url, init) => fetch(url, init)), sleep, maxWaitMs: 60_000 },
  );
  const store = await io.openStore();
  const ports: PlatformPorts = {
    store,
    now: () => io.now(),
    ingest: (input) => ingestStatements({ store }, input),
    eraseCustomer: (input) => eraseCustomer({ store }, input),
    shopCurrency: () => set.settings.currency,
    log: (line) => io.stderr.write(`${line}\n`),
  };
  const draw = (p: ResourceSummary) =>
    io.stderr.write(`\r${p.resource}: ${p.pages} pages, ${p.records} records, ${p.applied} written\x1b[K`);
  let result: Awaited<ReturnType<typeof syncShopify>>;
  try {
    result = await syncShopify({
      api,
      ports,
      shopDomain: shopify.shopDomain,
      apiVersion: shopify.apiVersion,
      resources,
      onPage: io.interactive ? draw : undefined,
    });
  } finally {
    if (io.interactive) io.stderr.write('\n');
    await store.close();
  }
  if (values.json) {
    printJson(io, {
      ok: result.ok,
      ...(result.ok ? {} : { stopped: result.reason, wait_ms: result.waitMs ?? null }),
      resources: result.resources,
    });
  } else {
    printTable(io, result.resources as unknown as Record<string, unknown>[]);
  }
  if (result.ok) return 0;
  io.stderr.write(
    `rekindle: shopify sync stopped: ${result.reason}; run it again to go on where it stopped\n`,
  );
  return 1;
}

function parseOnly(value: string | undefined): SyncResource[] {
  if (value === undefined) return [...syncResources];
  const named = value.split(',').map((part) => part.trim().replace(/-/g, '_'));
  const unknown = named.filter((name) => !(syncResources as readonly string[]).includes(name));
  if (unknown.length > 0 || named.length === 0) {
    throw new UsageError(
      `--only takes ${syncResources.join(', ')}; unknown: ${unknown.join(', ') || '(none)'}`,
    );
  }
  return syncResources.filter((resource) => named.includes(resource));
}
