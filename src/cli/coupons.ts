// rekindle coupons export --campaign ID [--out file.csv]: a campaign's codes as
// CSV, for shops whose platform must know every code before a shopper types it.
// Reads page by page, so a million codes never sit in memory at once.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { csvField } from '../core/csv.ts';
import { fromMinorUnits } from '../core/money.ts';
import { formatInstant } from '../core/time.ts';
import { type ExportedCoupon, listCampaignCoupons } from '../db/repositories/coupons.ts';
import { type Command, UsageError } from './io.ts';

const usage = 'usage: rekindle coupons export --campaign ID [--out file.csv]';
const pageSize = 2000;

export const csvColumns = [
  'code',
  'campaign',
  'customer_id',
  'kind',
  'value',
  'min_subtotal',
  'expires_at',
  'uses_allowed',
  'uses',
] as const;

export const couponsCommand: Command = async (argv, io) => {
  const [action, ...rest] = argv;
  if (action !== 'export') throw new UsageError(usage);
  const { values } = parseArgs({
    args: rest,
    options: { campaign: { type: 'string' }, out: { type: 'string' } },
  });
  if (!values.campaign) throw new UsageError(`--campaign is required; ${usage}`);
  const store = await io.openStore();
  const out = values.out ? createWriteStream(values.out) : io.stdout;
  let count = 0;
  try {
    await write(out, `${csvColumns.join(',')}\n`);
    let after: string | undefined;
    for (;;) {
      const page = await listCampaignCoupons(store, values.campaign, { after, limit: pageSize });
      if (page.length === 0) break;
      await write(out, page.map((coupon) => `${csvRow(coupon)}\n`).join(''));
      count += page.length;
      after = page[page.length - 1]!.code;
      if (io.interactive) io.stderr.write(`\r${count} codes`);
    }
  } finally {
    if (values.out) {
      (out as NodeJS.WritableStream).end();
      await once(out, 'finish');
    }
    await store.close();
  }
  if (io.interactive) io.stderr.write('\n');
  if (count === 0) io.stderr.write(`no coupons for campaign '${values.campaign}'\n`);
  else if (values.out) io.stderr.write(`wrote ${count} codes to ${values.out}\n`);
  return 0;
};

/** percent_off value is the percentage; amounts are decimals in the coupon's currency. */
export function csvRow(coupon: ExportedCoupon): string {
  const money = (minor: number | null) =>
    minor === null ? '' : coupon.currency ? fromMinorUnits(minor, coupon.currency) : String(minor);
  const value =
    coupon.kind === 'percent_off'
      ? String(coupon.value)
      : coupon.kind === 'amount_off'
        ? money(coupon.value)
        : '';
  return [
    coupon.code,
    coupon.campaignId,
    coupon.customerId ?? '',
    coupon.kind,
    value,
    money(coupon.minSubtotalMinor),
    coupon.expiresAt === null ? '' : formatInstant(coupon.expiresAt),
    String(coupon.usesAllowed),
    String(coupon.uses),
  ]
    .map(csvField)
    .join(',');
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
