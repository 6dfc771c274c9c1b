import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/io.ts';
import { sweepCommand } from '../../../src/cli/sweep.ts';
import { captureCli } from '../support/cli.ts';
import { seedNow, seedSmallShop } from '../support/sweep-seed.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
  await seedSmallShop(temp.store);
});
afterEach(() => temp.cleanup());

const cli = (env: Record<string, string> = {}) => captureCli({ DATABASE_URL: temp.url, ...env }, seedNow);

async function sweep(args: string[], env?: Record<string, string>) {
  const c = cli(env);
  const code = await sweepCommand(args, c.io);
  return { code, stdout: c.out.join(''), stderr: c.err.join(''), opened: c.opened() };
}

const messageCount = async () =>
  (await temp.store.db.get<{ n: number }>(sql`select count(*) as n from messages`))?.n ?? 0;

describe('rekindle sweep --dry-run --recipients', () => {
  it('writes whom the sweep would mail, what and when, as CSV, and writes nothing else', async () => {
    const before = await snapshot(temp.store);
    const file = join(temp.dir, 'recipients.csv');
    const run = await sweep(['--dry-run', '--recipients', file, '--json']);
    expect(run.code).toBe(0);
    const counts = JSON.parse(run.stdout) as { campaigns: { held_out: number; scheduled: number }[] };
    const chosen = counts.campaigns.reduce((n, c) => n + c.held_out + c.scheduled, 0);
    expect(chosen).toBeGreaterThan(0);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('campaign,step,customer_id,email,outcome,due_at,trigger');
    expect(lines).toHaveLength(chosen + 1);
    expect(run.stderr).toContain(`wrote ${chosen} recipients to ${file}`);
    const winback = lines.find((l) => l.startsWith('winback,'))!;
    expect(winback).toMatch(
      /^winback,1,[^,]+,[^,]+@[^,]+,(scheduled|held_out),\d{4}-\d{2}-\d{2}T[^,]+,"?last purchase \d{4}-\d{2}-\d{2}, \d+ days ago"?$/,
    );
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('refuses without --dry-run, and an existing file', async () => {
    const file = join(temp.dir, 'recipients.csv');
    await expect(sweep(['--recipients', file])).rejects.toThrow(/--recipients goes with --dry-run/);
    expect(await messageCount()).toBe(0);
    await writeFile(file, 'mine');
    await expect(sweep(['--dry-run', '--recipients', file])).rejects.toThrow(
      `${file} exists; name a new file`,
    );
    expect(await readFile(file, 'utf8')).toBe('mine');
  });
});

describe('rekindle sweep', () => {
  it("the table's columns add up as its footnote says", async () => {
    const run = await sweep(['--dry-run']);
    const lines = run.stdout.split('\n');
    const header = lines[2]!.split(/\s+/);
    const footnote = lines.find((l) => l.startsWith('eligible = '))!;
    const parts = footnote.slice('eligible = '.length, footnote.indexOf(';')).split(' + ');
    expect(parts.every((p) => header.includes(p))).toBe(true);
    const rows = lines.slice(3, lines.indexOf(footnote)).filter((l) => /^\S+\s+\d/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const cells = Object.fromEntries(row.split(/\s+/).map((v, i) => [header[i], v]));
      const sum = parts.reduce((n, p) => n + Number(cells[p]), 0);
      expect({ campaign: cells.campaign, eligible: Number(cells.eligible) }).toEqual({
        campaign: cells.campaign,
        eligible: sum,
      });
      expect(Number(cells.deferred)).toBeLessThanOrEqual(Number(cells.scheduled));
    }
  });

  it('--dry-run prints a per-campaign table and writes nothing', async () => {
    const before = await snapshot(temp.store);
    const run = await sweep(['--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sweep at 2026-11-23T12:00:00.000Z (dry run: nothing written)');
    const header = run.stdout.split('\n')[2]!;
    expect(header.split(/\s+/)).toEqual([
      'campaign',
      'eligible',
      'suppressed',
      'no_consent',
      'audience',
      'messaged_by',
      'priority',
      'frequency_cap',
      'cooldown',
      'offer_rule',
      'allocation',
      'held_out',
      'scheduled',
      'deferred',
      'concurrent',
      'no_email',
      'already_messaged',
    ]);
    expect(run.stdout).toMatch(/^winback\s+2\s/m);
    expect(run.stdout).toMatch(/^abandoned-cart\s+1\s/m);
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('a real sweep writes messages; a second one schedules nothing new (--json)', async () => {
    const first = JSON.parse((await sweep(['--json'])).stdout);
    expect(first).toMatchObject({ now: '2026-11-23T12:00:00.000Z', dry_run: false });
    const winback = first.campaigns.find((c: { campaign_id: string }) => c.campaign_id === 'winback');
    expect(winback.eligible).toBe(2);
    expect(winback.scheduled + winback.held_out).toBe(2);
    const written = await messageCount();
    expect(written).toBe(3);

    const second = JSON.parse((await sweep(['--json'])).stdout);
    const again = second.campaigns.find((c: { campaign_id: string }) => c.campaign_id === 'winback');
    expect(again).toMatchObject({ eligible: 0, scheduled: 0, skipped: { already_messaged: 2 } });
    expect(await messageCount()).toBe(written);
  });

  it('--campaign and --only narrow the sweep', async () => {
    const one = JSON.parse((await sweep(['--dry-run', '--json', '--campaign', 'winback'])).stdout);
    expect(one.campaigns.map((c: { campaign_id: string }) => c.campaign_id)).toEqual(['winback']);
    const carts = JSON.parse(
      (await sweep(['--dry-run', '--json', '--only', 'abandoned_cart,back_in_stock'])).stdout,
    );
    expect(carts.campaigns.map((c: { campaign_id: string }) => c.campaign_id)).toEqual([
      'back-in-stock',
      'abandoned-cart',
    ]);
  });

  it('--explain says why a customer did or did not get each campaign, and writes nothing', async () => {
    const run = await sweep(['--explain', 'dormant-1', '--now', '2026-11-23T12:00:00Z']);
    expect(run.stdout).toContain('customer dormant-1:');
    expect(run.stdout).toMatch(/ {2}winback: (scheduled|held out)/);
    // The facts behind the decision, never the internal trigger reference (lp<ms>).
    expect(run.stdout).toMatch(/winback: .*\(step 1, last purchase \d{4}-\d{2}-\d{2}, \d+ days ago\)/);
    expect(run.stdout).not.toMatch(/\blp\d+/);
    expect(run.stdout).toMatch(
      / {2}abandoned-cart: the trigger does not fire for this customer now: no open cart/,
    );
    // The facts behind the decision, for a customer who gets the campaign too.
    const winback = run.stdout.split('\n').find((line) => line.startsWith('  winback: '))!;
    expect(winback).toMatch(/Facts: \d+ paid orders?; spent £[\d,.]+ in GBP; /);
    expect(winback).toMatch(/\d+ other marketing messages? in the \d+-day cap window \(cap \d+\)/);
    expect(winback).toMatch(/holdout draw \d+\.\d\d of 100 \(held out below \d+|no holdout/);
    expect(run.stdout).not.toContain('@example.com');
    expect(await messageCount()).toBe(0);

    const json = JSON.parse((await sweep(['--explain', 'recent', '--json'])).stdout);
    expect(json.explain.campaigns.find((c: { campaign_id: string }) => c.campaign_id === 'winback')).toEqual({
      campaign_id: 'winback',
      outcome: 'not_triggered',
      summary: expect.stringMatching(
        /^the trigger does not fire for this customer now: last purchase \d{4}-\d{2}-\d{2}, \d+ days ago, \d+ paid orders?; the trigger wants 90 to 365 days since the last purchase/,
      ),
    });
  });

  it('a dry run shows the send plan by day and hour in the shop time zone, adding up to what it schedules', async () => {
    const json = JSON.parse((await sweep(['--dry-run', '--json'])).stdout);
    const plan = json.send_plan as {
      time_zone: string;
      rows: { campaign: string; day: string; hour: string; messages: number }[];
    };
    expect(plan.time_zone).toBe('Europe/London');
    for (const campaign of json.campaigns as { campaign_id: string; scheduled: number }[]) {
      const planned = plan.rows.filter((row) => row.campaign === campaign.campaign_id);
      expect(planned.reduce((n, row) => n + row.messages, 0)).toBe(campaign.scheduled);
    }
    expect(plan.rows.length).toBeGreaterThan(0);
    for (const row of plan.rows) {
      expect(row.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.hour).toMatch(/^\d{2}:00$/);
    }
    const text = (await sweep(['--dry-run'])).stdout;
    expect(text).toContain('send plan: scheduled messages by hour they go out (Europe/London)');
    expect(text).toMatch(/^campaign\s+day\s+hour\s+messages$/m);
  });

  it('refuses an invalid campaign set before opening the database', async () => {
    const run = await sweep([], { CAMPAIGNS_DIR: 'test/fixtures/campaigns/unknown-key' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^test\/fixtures\/campaigns\/unknown-key\/winback\.yaml:2:1 trigger\.days is required/m,
    );
    expect(run.stderr).toContain('nothing swept');
    expect(run.opened).toBe(0);
    expect(await messageCount()).toBe(0);
  });

  it('rejects an unknown campaign (naming the known ones), a bad --only and a bad --now', async () => {
    await expect(sweep(['--campaign', 'nope'])).rejects.toThrow(
      "--campaign: no campaign 'nope' (known: abandoned-cart, back-in-stock, browse-abandonment, early-access, new-arrivals, price-drop, replenishment, winback)",
    );
    await expect(sweep(['--only', 'dormant,browse'])).rejects.toThrow(UsageError);
    await expect(sweep(['--now', 'yesterday'])).rejects.toThrow(/--now: expected an ISO 8601 time/);
  });
});
