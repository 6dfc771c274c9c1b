import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCommand } from '../../../src/cli/demo.ts';
import { UsageError } from '../../../src/cli/io.ts';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import { parseCartRef } from '../../../src/core/triggers/trigger-ref.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { demoTicks } from '../../../src/demo/aftermath.ts';
import { captureCli } from '../support/cli.ts';

let dir: string;
let dbPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-demo-cli-'));
  dbPath = join(dir, 'data', 'rekindle.db');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const cli = (databaseUrl = `file:${dbPath}`, env: Record<string, string> = {}) =>
  captureCli(
    { DATABASE_URL: databaseUrl, OUTBOX_DIR: join(dir, 'outbox'), ...env },
    Date.parse('2026-11-20T12:00:00Z'),
  );

async function demo(args: string[], databaseUrl?: string) {
  const { io, out } = cli(databaseUrl);
  const code = await demoCommand(args, io);
  return { code, text: out.join('') };
}

describe('rekindle demo', () => {
  it('loads the shop and reports what it stored, the same on a second run', async () => {
    const args = ['--customers', '150', '--seed', 'cli', '--now', '2026-11-20T12:00:00Z', '--json'];
    const first = await demo(args);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.text);
    expect(report.generated).toEqual({ seed: 'cli', now: '2026-11-20T12:00:00.000Z', customers: 150 });
    expect(report.tables.customers).toBe(150);
    expect(report.tables.products).toBe(300);
    expect(report.tables.orders).toBeGreaterThan(300);
    // Three weeks after the sweep: mail went out as .eml files and customers responded.
    expect(report.delivery.sent).toBeGreaterThan(0);
    expect(report.behaviour.opens).toBeGreaterThan(0);
    const second = JSON.parse((await demo(args)).text);
    // The load itself adds nothing; what the first run's three weeks added stays.
    const b = report.behaviour;
    expect(second.tables).toEqual({
      ...report.tables,
      orders: report.tables.orders + b.couponOrders + b.influencedOrders + b.heldOutOrders,
      restocks: report.restocked,
      products: report.tables.products + report.arrived,
    });
    expect(second.restocked).toBe(0);
    expect(report.arrived).toBe(9);
    // Nothing is sent or simulated twice, so the results stand as they were.
    expect(second.delivery.sent).toBe(0);
    expect(second.behaviour).toBeNull();
    expect(second.reports).toEqual(report.reports);
    // The weeks held a pre-sale send (Thursdays), browse abandonments and new arrivals.
    const sent = (id: string) => report.reports.find((r: { id: string }) => r.id === id)?.totals?.sent ?? 0;
    expect(sent('early-access')).toBeGreaterThan(0);
    expect(sent('browse-abandonment')).toBeGreaterThan(0);
    expect(sent('new-arrivals')).toBeGreaterThan(0);
  });

  it('sweeps the shop as it stood three weeks before now: per campaign, counts per rule and who was chosen', async () => {
    const args = ['--customers', '150', '--seed', 'cli', '--now', '2026-11-20T12:00:00Z', '--json'];
    const { sweep } = JSON.parse((await demo(args)).text);
    expect(sweep.now).toBe('2026-10-30T12:00:00.000Z');
    expect(sweep.dry_run).toBe(false);
    const ids = sweep.campaigns.map((c: { campaign_id: string }) => c.campaign_id);
    expect(ids).toEqual([
      'back-in-stock',
      'abandoned-cart',
      'browse-abandonment',
      'price-drop',
      'early-access',
      'replenishment',
      'winback',
      'new-arrivals',
    ]);
    const winback = sweep.campaigns.find((c: { campaign_id: string }) => c.campaign_id === 'winback');
    expect(winback.eligible).toBeGreaterThan(0);
    expect(winback.scheduled).toBeGreaterThan(0);
    const picks = sweep.picks.filter((p: { campaign_id: string }) => p.campaign_id === 'winback');
    expect(picks.length).toBeGreaterThan(0);
    expect(picks.length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(sweep)).not.toContain('@');

    // The same shop swept again: everyone chosen is already messaged.
    const again = JSON.parse((await demo(args)).text).sweep;
    const winbackAgain = again.campaigns.find((c: { campaign_id: string }) => c.campaign_id === 'winback');
    expect(winbackAgain.scheduled).toBe(0);
    // Orders simulated after the sweep's now do not count at that now: the
    // replayed sweep sees the same dormant customers, all already messaged.
    expect(winbackAgain.skipped.already_messaged).toBe(winback.scheduled + winback.held_out);
    // The picks are the messages due from this `now`, whichever run wrote them.
    // (By then the first run has sent them, so only their status differs.)
    const who = (picks: { campaign_id: string; customer_id: string; step: number }[]) =>
      picks.map(({ campaign_id, customer_id, step }) => ({ campaign_id, customer_id, step }));
    expect(who(again.picks)).toEqual(who(sweep.picks));
  });

  it("sends a cart's 1-hour reminder as the shop's cart schedule would, even for a cart left just before the sweep", async () => {
    const args = ['--customers', '400', '--seed', 'carts', '--now', '2026-11-20T12:00:00Z', '--json'];
    const run = JSON.parse((await demo(args)).text);
    const sweptAt = Date.parse(run.sweep.now);
    const store = await openLibsqlStore({ url: `file:${dbPath}` });
    try {
      const rows = await store.db.all<{ trigger_ref: string; step: number }>(
        sql`select trigger_ref, step from messages where campaign_id = 'abandoned-cart'`,
      );
      const steps = new Map<string, Set<number>>();
      for (const row of rows) {
        const seen = steps.get(row.trigger_ref) ?? new Set<number>();
        seen.add(Number(row.step));
        steps.set(row.trigger_ref, seen);
      }
      // A series that starts at its second step is only right for a cart whose
      // first reminder was due a day before Rekindle first swept the shop.
      const skipped = [...steps]
        .filter(([, seen]) => seen.has(1) && !seen.has(0))
        .map(([ref]) => parseCartRef(ref)!.lastActivityAt)
        .filter((leftAt) => leftAt + 24 * 3_600_000 > sweptAt);
      expect(skipped).toEqual([]);
      expect([...steps.values()].filter((seen) => seen.has(0)).length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('the demo clock stops hourly while a cart series can have a step due, then daily', () => {
    const hour = 3_600_000;
    const cart = {
      enabled: true,
      trigger: { type: 'abandoned_cart' },
      steps: [1, 24, 72].map((delayHours) => ({ delayHours })),
    };
    const ticks = demoTicks({ campaigns: [cart] } as unknown as CampaignSet, 0, 21 * 24 * hour);
    expect(ticks.slice(0, 3)).toEqual([hour / 24, hour, 2 * hour]);
    expect(ticks.filter((t) => t <= 73 * hour)).toHaveLength(74);
    // Then one a day, an hour past the sweep's time of day.
    expect(ticks.slice(74)).toEqual(
      [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map((d) => d * 24 * hour + hour),
    );
  });

  it('refuses an invalid campaign set before loading anything', async () => {
    const { io, out } = cli(undefined, { CAMPAIGNS_DIR: 'test/fixtures/campaigns/unknown-key' });
    const err: string[] = [];
    io.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof io.stderr.write;
    expect(await demoCommand(['--customers', '10'], io)).toBe(1);
    expect(err.join('')).toMatch(/unknown-key\/winback\.yaml:2:1 trigger\.days is required/);
    expect(out.join('')).toBe('');
    await expect(readFile(dbPath)).rejects.toThrow();
  });

  it('prints a readable summary', async () => {
    const { text } = await demo(['--customers', '100', '--now', '2026-11-20T12:00:00+01:00']);
    expect(text).toContain("demo shop (seed 'rekindle', now 2026-11-20T11:00:00.000Z)");
    expect(text).toMatch(/^customers\s+100$/m);
    expect(text).toMatch(/dormant \(last purchase > 90 days ago\): \d+/);
    expect(text).toMatch(/open carts: \d+ \(idle < 1 h: \d+/);
    expect(text).toMatch(/out-of-stock products: 24, 24 with a waitlist/);
    expect(text).toContain('sweep at 2026-10-30T11:00:00.000Z');
    expect(text).toMatch(/^winback\s+\d+\s+0\s+\d+/m);
    expect(text).toMatch(/^winback: \d+ to mail, \d+ held out as control/m);
    expect(text).toMatch(/^ {2}customer cus_\d+: (step 1 due 2026-1\d-\d\dT|held out)/m);
    expect(text).toMatch(/^sent \d+ emails over 3 weeks .* as \.eml files in /m);
    expect(text).toMatch(/^winback\s+all\s+\d+\s+\d+\s+\d+/m);
    expect(text).toContain('dashboard: http://localhost:8787/dashboard');
  });

  it('--reset starts from an empty database file and deletes nothing else', async () => {
    await demo(['--customers', '50']);
    await writeFile(join(dir, 'data', 'keep.txt'), 'mine');
    const store = await openLibsqlStore({ url: `file:${dbPath}` });
    await store.db.run(sql`insert into customers (id, created_at, updated_at) values ('left-over', 0, 0)`);
    await store.close();
    const kept = JSON.parse((await demo(['--customers', '50', '--json'])).text);
    expect(kept.tables.customers).toBe(51);
    await writeFile(join(dir, 'outbox', 'notes.txt'), 'mine too');
    const before = (await readdir(join(dir, 'outbox'))).filter((name) => name.endsWith('.eml'));
    expect(before.length).toBeGreaterThan(0);
    const reset = JSON.parse((await demo(['--customers', '50', '--reset', '--json'])).text);
    expect(reset.tables.customers).toBe(50);
    expect(reset.kept).toBeNull();
    expect(reset.reset).toEqual({ eml_files: before.length });
    // Only this run's mail is in the outbox now, and the files that were not the demo's stay.
    const after = (await readdir(join(dir, 'outbox'))).filter((name) => name.endsWith('.eml'));
    expect(after.length).toBe(reset.delivery.sent);
    expect(after.filter((name) => before.includes(name))).toEqual([]);
    expect(await readFile(join(dir, 'data', 'keep.txt'), 'utf8')).toBe('mine');
    expect(await readFile(join(dir, 'outbox', 'notes.txt'), 'utf8')).toBe('mine too');
  });

  it('a rerun without --reset says what it kept from the earlier run', async () => {
    const first = await demo(['--customers', '60', '--now', '2026-11-20T12:00:00Z']);
    expect(first.text).not.toContain('kept:');
    const again = await demo(['--customers', '60', '--now', '2026-11-20T12:00:00Z']);
    expect(again.text).toMatch(
      /^kept: .*rekindle\.db already held a demo from an earlier run \(\d+ messages, \d+ \.eml files in .*\); this run adds to it, so the figures below include the earlier run's\. --reset starts over\.$/m,
    );
    expect(again.text).not.toMatch(/: 0 awaited products come back/);
    expect(again.text).toContain(
      'no awaited products are left to come back (the earlier run restocked them)',
    );
  });

  it('refuses --reset for a database that is not a local file, and bad options', async () => {
    await expect(demo(['--reset'], 'libsql://user:secret@db.example.com')).rejects.toThrow(
      /--reset only deletes a local file database; DATABASE_URL is libsql:\/\/\*\*\*@db\.example\.com/,
    );
    await expect(demo(['--customers', 'lots'])).rejects.toThrow(UsageError);
    await expect(demo(['--now', '2026-11-20'])).rejects.toThrow(
      /--now: expected an ISO 8601 time with offset/,
    );
  });
});
