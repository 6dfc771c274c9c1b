// `rekindle woocommerce sync`: WooCommerce never delivers a webhook again, so
// this reads the shop's customers, products (with the variations of variable
// ones) and orders through the REST API (rest-pages.ts) and applies each row
// exactly as a delivery of its `*.updated` topic is applied: the same
// handler (topics.ts: translation, guest orders keyed by billing email, the
// ingest verb with coupon_lines through the one redemption rule) and the
// same guard (apply-change.ts), a row read back counting as the stored state
// when its date_modified_gmt is the stored one. A stale row never overwrites
// newer webhook state.
//
// Resumable: after each page the next page is saved per resource
// (db/repositories/woocommerce-sync.ts) with the run's modified_after, so a
// stopped run goes on with the same query where it stopped; a page read
// twice only finds its rows unchanged. A completed run's start (less a few
// minutes for the shop's clock) is the next run's modified_after. Customers
// first, so an order finds the account its billing email belongs to.
import { z } from 'zod';
import {
  readSyncPositions,
  type SyncPosition,
  saveSyncPositionStatement,
} from '../../../db/repositories/woocommerce-sync.ts';
import type { PlatformPorts } from '../shared/ports.ts';
import { applyIfNewer, sha256Hex } from './apply-change.ts';
import type { PageRead } from './rest-pages.ts';
import { topicHandlers } from './topics.ts';

export const syncResources = ['customers', 'products', 'orders'] as const;
export type SyncResource = (typeof syncResources)[number];

const topicFor: Record<SyncResource | 'variations', string> = {
  customers: 'customer.updated',
  products: 'product.updated',
  variations: 'product.updated',
  orders: 'order.updated',
};
/** Customers have no modified_after (rest-pages.ts): every run reads them all. */
const filtersByModified: Record<SyncResource, boolean> = { customers: false, products: true, orders: true };

/** How far before the last completed run's start the next one asks from: the shop's clock may differ. */
export const sinceOverlapMs = 5 * 60_000;

export interface SyncCounts {
  pages: number;
  /** Rows read. */
  read: number;
  /** Rows newer than the stored state, written. */
  applied: number;
  /** Rows whose state is the stored one. */
  unchanged: number;
  /** Rows older than the stored state (a webhook brought newer), not written. */
  stale: number;
  /** Rows that are not a WooCommerce resource Rekindle can read, skipped. */
  invalid: number;
}

export interface ResourceSummary extends SyncCounts {
  /** The run's modified_after (ISO), null for a full pass. */
  since: string | null;
  /** The page the run went on from when it resumed a stopped one. */
  resumedAtPage: number | null;
  complete: boolean;
}

export interface SyncSummary {
  complete: boolean;
  /** Why the run stopped before the end. */
  stopped: string | null;
  /** Stopped by its page limit (maxPages), not by the shop: the next run goes on. */
  paused: boolean;
  resources: Record<SyncResource, ResourceSummary>;
  variations: SyncCounts;
}

export type ReadPage = (path: string, page: number, query?: Record<string, string>) => Promise<PageRead>;

export interface SyncDeps {
  ports: PlatformPorts;
  readPage: ReadPage;
  consentMetaKey?: string | undefined;
  /** Read everything, ignoring the last run's time (a stopped run starts over). */
  full?: boolean | undefined;
  /** Stop (resumably) after this many pages in this run. */
  maxPages?: number | undefined;
  onProgress?: ((line: string) => void) | undefined;
}

const emptyCounts = (): SyncCounts => ({ pages: 0, read: 0, applied: 0, unchanged: 0, stale: 0, invalid: 0 });

export async function syncWooCommerce(deps: SyncDeps): Promise<SyncSummary> {
  const { ports } = deps;
  const positions = await readSyncPositions(ports.store);
  const summary: SyncSummary = {
    complete: false,
    stopped: null,
    paused: false,
    resources: {} as Record<SyncResource, ResourceSummary>,
    variations: emptyCounts(),
  };
  const budget = { left: deps.maxPages ?? Number.POSITIVE_INFINITY };
  // One sync is one run over every resource: a stopped one is resumed, and a
  // resource it completed is not read again.
  const full = deps.full ?? false;
  const stoppedRun = full
    ? undefined
    : [...positions.values()].find((p) => p.nextPage !== null && p.runStartedAt !== null)?.runStartedAt;
  const runStartedAt = stoppedRun ?? ports.now();
  for (const resource of syncResources) {
    const stored = positions.get(resource);
    if (stoppedRun !== undefined && stored?.nextPage === null && stored.completedFrom === stoppedRun) {
      // Done before the run stopped.
      summary.resources[resource] = { ...emptyCounts(), since: null, resumedAtPage: null, complete: true };
      continue;
    }
    const run = startOrResume(resource, stored, runStartedAt, full);
    const { resumed: _, page: nextPage, ...kept } = run;
    await ports.store.batch([
      saveSyncPositionStatement(ports.store, { resource, nextPage, ...kept }, ports.now()),
    ]);
    const counts: ResourceSummary = {
      ...emptyCounts(),
      since: run.runSince === null ? null : wooTime(run.runSince),
      resumedAtPage: run.resumed ? run.page : null,
      complete: false,
    };
    summary.resources[resource] = counts;
    const stop = await syncResource(deps, resource, run, counts, summary.variations, budget);
    if (stop) return { ...summary, stopped: stop.reason, paused: stop.paused };
    counts.complete = true;
  }
  summary.complete = true;
  return summary;
}

/** One resource's pages from the run's page to the last, each page's position saved; why it stopped, if it did. */
async function syncResource(
  deps: SyncDeps,
  resource: SyncResource,
  run: Run,
  counts: SyncCounts,
  variations: SyncCounts,
  budget: { left: number },
): Promise<{ reason: string; paused: boolean } | null> {
  const { ports } = deps;
  const query: Record<string, string> = { orderby: 'id', order: 'asc' };
  if (run.runSince !== null)
    Object.assign(query, { modified_after: wooTime(run.runSince), dates_are_gmt: 'true' });
  for (let page = run.page; ; page++) {
    if (budget.left <= 0) {
      return {
        reason: `stopped after ${deps.maxPages} page(s) (--max-pages); run again to go on`,
        paused: true,
      };
    }
    const read = await deps.readPage(resource, page, query);
    if (read.kind === 'failed') return { reason: read.reason, paused: false };
    budget.left--;
    const problem = await applyRows(deps, resource, read.rows, counts, variations);
    if (problem) return { reason: problem, paused: false };
    counts.pages++;
    const last = page >= read.totalPages || read.rows.length === 0;
    const position: SyncPosition = last
      ? { resource, nextPage: null, runSince: null, runStartedAt: null, completedFrom: run.runStartedAt }
      : {
          resource,
          nextPage: page + 1,
          runSince: run.runSince,
          runStartedAt: run.runStartedAt,
          completedFrom: run.completedFrom,
        };
    await ports.store.batch([saveSyncPositionStatement(ports.store, position, ports.now())]);
    deps.onProgress?.(
      `${resource}: page ${page} of ${Math.max(read.totalPages, page)}, ${counts.read} read, ${counts.applied} applied`,
    );
    if (last) return null;
  }
}

interface Run {
  page: number;
  resumed: boolean;
  runSince: number | null;
  runStartedAt: number;
  completedFrom: number | null;
}

function startOrResume(
  resource: SyncResource,
  stored: SyncPosition | undefined,
  now: number,
  full: boolean,
): Run {
  const completedFrom = stored?.completedFrom ?? null;
  if (!full && stored?.nextPage && stored.runStartedAt !== null) {
    return {
      page: stored.nextPage,
      resumed: true,
      runSince: stored.runSince,
      runStartedAt: stored.runStartedAt,
      completedFrom,
    };
  }
  const since =
    !full && filtersByModified[resource] && completedFrom !== null ? completedFrom - sinceOverlapMs : null;
  return { page: 1, resumed: false, runSince: since, runStartedAt: now, completedFrom };
}

/** Applies one page's rows in order; a reason when the run cannot go on. */
async function applyRows(
  deps: SyncDeps,
  resource: SyncResource,
  rows: readonly unknown[],
  counts: SyncCounts,
  variations: SyncCounts,
): Promise<string | null> {
  for (const row of rows) {
    const problem = await applyRow(deps, resource, row, counts);
    if (problem) return problem;
    const product = row as { id?: unknown; type?: unknown };
    if (resource === 'products' && product.type === 'variable' && isWooId(product.id)) {
      const stop = await syncVariations(deps, String(product.id), variations);
      if (stop) return stop;
    }
  }
  return null;
}

/** Every variation of one variable product, all its pages. */
async function syncVariations(deps: SyncDeps, parentId: string, counts: SyncCounts): Promise<string | null> {
  for (let page = 1; ; page++) {
    const read = await deps.readPage(`products/${parentId}/variations`, page, {
      orderby: 'id',
      order: 'asc',
    });
    if (read.kind === 'failed') return read.reason;
    counts.pages++;
    // The variations endpoint names neither the type nor (in older versions) the parent.
    const rows = read.rows.map((row) => ({
      type: 'variation',
      ...(row as object),
      parent_id: parentOf(row, parentId),
    }));
    for (const row of rows) {
      const problem = await applyRow(deps, 'variations', row, counts);
      if (problem) return problem;
    }
    if (page >= read.totalPages || read.rows.length === 0) return null;
  }
}

async function applyRow(
  deps: SyncDeps,
  resource: SyncResource | 'variations',
  row: unknown,
  counts: SyncCounts,
): Promise<string | null> {
  const { ports } = deps;
  counts.read++;
  const now = ports.now();
  const handler = topicHandlers[topicFor[resource]]!;
  try {
    const plan = handler(row, { ports, config: { consentMetaKey: deps.consentMetaKey }, now });
    if ('unavailable' in plan) return plan.unavailable;
    const digest = await sha256Hex(new TextEncoder().encode(JSON.stringify(row)));
    const outcome = await applyIfNewer(ports.store, { ...plan, digest, readBack: true }, now, plan.build);
    if (outcome === 'applied') counts.applied++;
    else if (outcome === 'stale') counts.stale++;
    else counts.unchanged++;
    return null;
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    counts.invalid++;
    return null;
  }
}

function parentOf(row: unknown, parentId: string): string {
  const given = (row as { parent_id?: unknown }).parent_id;
  return isWooId(given) && String(given) !== '0' ? String(given) : parentId;
}

function isWooId(value: unknown): value is number | string {
  return (
    (typeof value === 'number' && Number.isInteger(value) && value > 0) ||
    (typeof value === 'string' && /^\d+$/.test(value))
  );
}

/** An instant as WooCommerce's GMT time, whole seconds, no offset (sent with dates_are_gmt=true). */
function wooTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
