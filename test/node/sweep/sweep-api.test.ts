import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { createApiKey } from '../../../src/db/repositories/api-keys.ts';
import { createApp } from '../../../src/http/create-app.ts';
import type { SweepReportJson } from '../../../src/services/sweep/sweep-report-json.ts';
import { seedNow, seedSmallShop } from '../support/sweep-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
let set: CampaignSet;
let sweepsKey: string;
let ingestKey: string;

beforeEach(async () => {
  temp = await openTempStore();
  await seedSmallShop(temp.store);
  const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
  if (!loaded.ok) throw new Error('the shipped campaigns must be valid');
  set = loaded.set;
  sweepsKey = (await createApiKey(temp.store, { name: 'cron', scopes: ['sweeps'], now: seedNow })).secret;
  ingestKey = (await createApiKey(temp.store, { name: 'platform', scopes: ['ingest'], now: seedNow })).secret;
});
afterEach(() => temp.cleanup());

function post(body: unknown, options: { key?: string; campaigns?: () => CampaignSet | undefined } = {}) {
  const app = createApp({
    store: temp.store,
    now: () => seedNow,
    campaigns: 'campaigns' in options ? options.campaigns : () => set,
  });
  return app.request('/v1/sweeps', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key ?? sweepsKey}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

interface ErrorJson {
  error: { code: string; message: string; details: { field?: string; message: string }[] };
}
const report = async (response: Response | Promise<Response>) =>
  (await (await response).json()) as SweepReportJson;
const failure = async (response: Response | Promise<Response>) =>
  (await (await response).json()) as ErrorJson;

const messageCount = async () =>
  (await temp.store.db.get<{ n: number }>(sql`select count(*) as n from messages`))?.n ?? 0;

describe('POST /v1/sweeps', () => {
  it('a dry run answers the report and writes nothing', async () => {
    const response = await post({ dry_run: true });
    expect(response.status).toBe(200);
    const json = await report(response);
    expect(json).toMatchObject({ now: '2026-11-23T12:00:00.000Z', dry_run: true });
    expect(json.campaigns.map((c) => c.campaign_id)).toEqual([
      'back-in-stock',
      'abandoned-cart',
      'browse-abandonment',
      'price-drop',
      'early-access',
      'replenishment',
      'winback',
      'new-arrivals',
    ]);
    expect(json.campaigns[6]).toMatchObject({ campaign_id: 'winback', eligible: 2, excluded: {} });
    expect(await messageCount()).toBe(0);
  });

  it('a real sweep writes messages once; the same call again schedules nothing', async () => {
    const first = await report(post({ dry_run: false, only: ['dormant'] }));
    expect(first.campaigns).toHaveLength(1);
    expect(first.campaigns[0]!.scheduled + first.campaigns[0]!.held_out).toBe(2);
    expect(await messageCount()).toBe(2);
    const second = await report(post({ dry_run: false, only: ['dormant'] }));
    expect(second.campaigns[0]).toMatchObject({
      scheduled: 0,
      held_out: 0,
      skipped: { already_messaged: 2 },
    });
    expect(await messageCount()).toBe(2);
  });

  it('now and campaign narrow a sweep; without now it runs at the server clock', async () => {
    const later = await report(
      post({ dry_run: false, now: '2026-11-23T14:00:00+01:00', campaign: 'abandoned-cart' }),
    );
    expect(later.now).toBe('2026-11-23T13:00:00.000Z');
    expect(later.campaigns).toEqual([
      expect.objectContaining({ campaign_id: 'abandoned-cart', eligible: 1 }),
    ]);
    const all = await report(post({ dry_run: false }));
    expect(all).toMatchObject({ now: '2026-11-23T12:00:00.000Z', dry_run: false });
  });

  it('never sweeps for real by default: an empty body, {} or a body without dry_run is a 400 naming it', async () => {
    for (const body of [
      '',
      '{}',
      { only: ['dormant'] },
      { campaign: 'winback', now: '2026-11-23T12:00:00Z' },
    ]) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = await failure(response);
      expect(error.code).toBe('invalid_input');
      expect(error.details).toContainEqual({
        field: 'dry_run',
        message: 'is required: true to plan without writing, false to run a real sweep',
      });
    }
    expect(await messageCount()).toBe(0);
  });

  it('400 names the bad field', async () => {
    const cases: [unknown, string][] = [
      [{ dry_run: 'yes' }, 'dry_run'],
      [{ dry_run: false, now: '2026-11-23' }, 'now'],
      [{ dry_run: false, only: ['browse'] }, 'only[0]'],
      [{ dry_run: false, campaign: 'nope' }, 'campaign'],
      [{ dry_run: false, dryrun: true }, 'dryrun'],
    ];
    for (const [body, field] of cases) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = await failure(response);
      expect(error.details.map((d) => d.field)).toContain(field);
    }
    const unknown = await failure(post({ dry_run: false, campaign: 'nope' }));
    expect(unknown.error.details[0]?.message).toBe(
      "no campaign 'nope' (known: abandoned-cart, back-in-stock, browse-abandonment, early-access, new-arrivals, price-drop, replenishment, winback)",
    );
    expect((await post('[1]')).status).toBe(400);
    expect((await post('{')).status).toBe(400);
    expect(await messageCount()).toBe(0);
  });

  it('needs the sweeps scope, and answers 503 without a valid campaign set', async () => {
    expect((await post({ dry_run: true }, { key: ingestKey })).status).toBe(403);
    const response = await post({ dry_run: true }, { campaigns: undefined });
    expect(response.status).toBe(503);
    expect((await failure(response)).error.code).toBe('campaigns_unavailable');
    expect((await post({ dry_run: true }, { campaigns: () => undefined })).status).toBe(503);
  });
});
