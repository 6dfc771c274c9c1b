// rekindle coupons export: a campaign's codes as CSV, on stdout or in a file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { couponsCommand } from '../../../src/cli/coupons.ts';
import { UsageError } from '../../../src/cli/io.ts';
import type { Campaign, Offer } from '../../../src/core/campaigns/types.ts';
import { dormantCampaign, winbackOffer } from '../support/campaign-fixtures.ts';
import { captureCli, runRekindle } from '../support/cli.ts';
import { issuedCoupons } from '../support/coupon-seed.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const now = Date.parse('2026-11-01T12:00:00Z');
let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

async function issue(campaignId: string, offer: Offer, count: number, customer = true) {
  const campaign: Campaign = dormantCampaign({
    id: campaignId,
    steps: [{ index: 0, delayHours: 0, email: { template: 'w.mjml', subject: 'Hi' }, offer }],
  });
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `${campaignId}-m${i}`,
    dedupeKey: `${campaignId}:0:c${i}:e`,
    campaignId,
    step: 0,
    customerId: customer ? `c,${i}` : null,
    email: `c${i}@example.com`,
    triggerKind: 'dormant',
    triggerRef: 'e',
    status: 'scheduled' as const,
    dueAt: now,
    createdAt: now,
    updatedAt: now,
  }));
  await issuedCoupons(temp.store, campaign, rows, now);
}

const cli = () => captureCli({ DATABASE_URL: temp.url }, now);

describe('rekindle coupons export', () => {
  it('writes one CSV row per code of the campaign, in code order, across pages', async () => {
    await issue('winback', winbackOffer, 2500);
    await issue('other', { ...winbackOffer, codePrefix: 'OTHER' }, 3);
    await temp.store.db.run(sql`update coupons set uses = 1 where message_id = 'winback-m0'`);
    const { io, out } = cli();
    expect(await couponsCommand(['export', '--campaign', 'winback'], io)).toBe(0);
    const lines = out.join('').trimEnd().split('\n');
    expect(lines[0]).toBe('code,campaign,customer_id,kind,value,min_subtotal,expires_at,uses_allowed,uses');
    const rows = lines.slice(1);
    expect(rows).toHaveLength(2500);
    const codes = rows.map((r) => r.split(',')[0]!);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(2500);
    const [first] = await temp.store.db.all<{ code: string }>(
      sql`select code from coupons where message_id = 'winback-m0'`,
    );
    // Customer ids with a comma are quoted; percentages are plain, amounts are decimals.
    expect(rows).toContain(`${first!.code},winback,"c,0",percent_off,15,40.00,2026-11-15T12:00:00.000Z,1,1`);
  });

  it('amount_off values are decimals; free_shipping and unbound coupons leave cells empty', async () => {
    await issue(
      'five',
      {
        ...winbackOffer,
        kind: 'amount_off',
        amount: { GBP: 750 },
        minSubtotal: null,
        codePrefix: 'FIVE',
      } as Offer,
      1,
    );
    await issue(
      'ship',
      { ...winbackOffer, kind: 'free_shipping', bindToCustomer: false, codePrefix: 'SHIP' } as Offer,
      1,
    );
    const five = cli();
    await couponsCommand(['export', '--campaign', 'five'], five.io);
    expect(five.out.join('').split('\n')[1]).toMatch(
      /^FIVE-[\w-]+,five,"c,0",amount_off,7.50,,2026-11-15T12:00:00.000Z,1,0$/,
    );
    const ship = cli();
    await couponsCommand(['export', '--campaign', 'ship'], ship.io);
    expect(ship.out.join('').split('\n')[1]).toMatch(/^SHIP-[\w-]+,ship,,free_shipping,,40.00,/);
  });

  it('says so on stderr when a campaign has no coupons', async () => {
    const { io, out, err } = cli();
    expect(await couponsCommand(['export', '--campaign', 'nope'], io)).toBe(0);
    expect(out.join('')).toBe(
      'code,campaign,customer_id,kind,value,min_subtotal,expires_at,uses_allowed,uses\n',
    );
    expect(err.join('')).toBe("no coupons for campaign 'nope'\n");
  });

  it('needs export and --campaign', async () => {
    await expect(couponsCommand(['export'], cli().io)).rejects.toThrow(UsageError);
    await expect(couponsCommand(['list'], cli().io)).rejects.toThrow(/usage: rekindle coupons export/);
  });

  it('is registered with the rekindle command and writes --out files', async () => {
    await issue('winback', winbackOffer, 3);
    const file = join(temp.dir, 'codes.csv');
    const run = await runRekindle(['coupons', 'export', '--campaign', 'winback', '--out', file], {
      DATABASE_URL: temp.url,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: `wrote 3 codes to ${file}\n` });
    expect((await readFile(file, 'utf8')).trimEnd().split('\n')).toHaveLength(4);
  });
});
