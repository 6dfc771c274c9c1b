// rekindle preview: a sample shopper by default, a real customer with
// --customer, HTML to stdout or a file, --text and --json; never writes to
// the database.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/io.ts';
import { previewCommand } from '../../../src/cli/preview.ts';
import * as schema from '../../../src/db/schema/index.ts';
import { captureCli, runRekindle } from '../support/cli.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

async function preview(...args: string[]) {
  const { io, out, err } = captureCli(
    { DATABASE_URL: temp.url, CAMPAIGNS_DIR: 'campaigns', EMAILS_DIR: 'emails' },
    Date.parse('2026-11-20T12:00:00Z'),
  );
  const code = await previewCommand(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('rekindle preview', () => {
  it('prints a sample email as HTML by default', async () => {
    const run = await preview('winback');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^<!doctype html>/);
    expect(run.stdout).toContain('We miss you, Alex');
    expect(run.stdout).toContain('BACK-SAMPLE');
    expect(run.stdout).toContain('Valid until 4 December 2026');
  });

  it('--text prints the subject and the plain-text part of a given step', async () => {
    const run = await preview('abandoned-cart', '--step', '3', '--text', '--sample');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 4)).toEqual([
      'Subject: Last call: free shipping on your cart',
      '',
      'Rekindle Demo Shop (https://shop.example/)',
      '',
    ]);
    expect(run.stdout).toContain(
      'Check out now (https://shop.example/cart/recover/sample?discount=CARTSHIP-SAMPLE)',
    );
    expect(run.stdout).toContain('Unsubscribe (#unsubscribe-preview)');
  });

  it('--out writes the file and --json gives every part', async () => {
    const file = join(temp.dir, 'preview.html');
    const run = await preview('back-in-stock', '--out', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^wrote ${file} \\(HTML, \\d+\\.\\d KB\\)\\nsubject: Linen Apron, Rust is back in stock\\n$`,
      ),
    );
    expect(await readFile(file, 'utf8')).toContain('Linen Apron, Rust is back');
    const json = JSON.parse((await preview('back-in-stock', '--json')).stdout);
    expect(json).toMatchObject({
      campaign: 'back-in-stock',
      step: 0,
      customer_id: null,
      template: 'back-in-stock.mjml',
    });
    expect(json.html_bytes).toBeGreaterThan(10_000);
    expect(json.text).toContain('Get it before it is gone');
  });

  it("--customer renders that customer's name and cart without writing anything", async () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    await temp.store.db.insert(schema.customers).values({
      id: 'c9',
      email: 'bo@example.com',
      firstName: 'Bo',
      createdAt: now,
      updatedAt: now,
    });
    await temp.store.db.insert(schema.carts).values({
      id: 'k1',
      customerId: 'c9',
      status: 'open',
      currency: 'GBP',
      valueMinor: 700,
      recoveryUrl: 'https://shop.example/r/k1',
      lastActivityAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await temp.store.db.insert(schema.cartItems).values({
      cartId: 'k1',
      lineNo: 0,
      productId: null,
      title: 'Teapot',
      quantity: 1,
      unitPriceMinor: 700,
    });
    const before = await snapshot(temp.store);
    const run = await preview('abandoned-cart', '--customer', 'c9', '--step', '2', '--text');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Hi Bo, your cart is still waiting.');
    expect(run.stdout).toContain('Teapot');
    expect(run.stdout).toContain('(https://shop.example/r/k1?discount=CART-SAMPLE)');
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it("shows the offer in the customer's currency: --currency for the sample, their last order's for a customer", async () => {
    const euro = await preview('winback', '--currency', 'EUR', '--text');
    expect(euro.stdout).toContain('On orders of €45.00 or more.');
    expect(euro.stdout).not.toContain('£');
    const yen = await preview('winback', '--currency', 'JPY', '--text');
    expect(yen.stderr).toContain(
      'warning: offer.min_subtotal has no figure in JPY (it gives GBP, EUR, USD): customers who buy in JPY are not sent this step',
    );
    await expect(preview('winback', '--currency', 'euro')).rejects.toThrow(/--currency must be a 3-letter/);

    const now = Date.parse('2026-11-20T12:00:00Z');
    await temp.store.db
      .insert(schema.customers)
      .values({ id: 'us1', email: 'sam@example.com', firstName: 'Sam', createdAt: now, updatedAt: now });
    await temp.store.db.insert(schema.orders).values({
      id: 'o-us1',
      customerId: 'us1',
      status: 'paid',
      currency: 'USD',
      totalMinor: 9000,
      placedAt: now - 200 * 86_400_000,
      updatedAt: now,
    });
    const sam = await preview('winback', '--customer', 'us1', '--text');
    expect(sam.stdout).toContain('On orders of US$50.00 or more.');
  });

  it('refuses unknown campaigns, steps and customers, and conflicting options', async () => {
    await expect(preview('nope')).rejects.toThrow(
      /no campaign 'nope' \(known: abandoned-cart, back-in-stock, browse-abandonment, early-access, new-arrivals, price-drop, replenishment, winback\)/,
    );
    await expect(preview('winback', '--step', '2')).rejects.toThrow(
      "campaign 'winback' has one step (--step 1), not 2",
    );
    await expect(preview('abandoned-cart', '--step', '4')).rejects.toThrow(/has steps 1-3, not 4/);
    await expect(preview('winback', '--step', 'x')).rejects.toThrow(UsageError);
    await expect(preview('winback', '--customer', 'ghost')).rejects.toThrow(/no customer 'ghost'/);
    await expect(preview('winback', '--customer', 'c', '--sample')).rejects.toThrow(/exclude each other/);
    await expect(preview()).rejects.toThrow(/name a campaign/);
  });

  it('is registered as a rekindle command', async () => {
    const run = await runRekindle(['preview', 'winback', '--text'], {
      DATABASE_URL: temp.url,
      CAMPAIGNS_DIR: 'campaigns',
      EMAILS_DIR: 'emails',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Subject: Alex, 15% off to welcome you back\n/);
  });
});
