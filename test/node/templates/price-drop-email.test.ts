// The price-drop email: the campaign file proposed for shipping passes
// `rekindle validate`'s checks with emails/price-drop.mjml (names, footer,
// unsubscribe), and a message swept from a real libSQL file renders the
// product with its old and its current price, in the drop's currency; a drop
// undone leaves the view nothing to show, so delivery cancels it.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMjmlRenderer } from '../../../src/adapters/templates/mjml-renderer.ts';
import { validateChecks } from '../../../src/cli/validate.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { ingestSchemas } from '../../../src/core/ingest/records.ts';
import { browseKinds } from '../../../src/core/tracking/browse-events.ts';
import { databaseViews } from '../../../src/services/delivery/db-views.ts';
import { ingestRecords } from '../../../src/services/ingest/ingest-records.ts';
import { createViewBuilder } from '../../../src/services/render/build-view.ts';
import { runSweep } from '../../../src/services/sweep/run-sweep.ts';
import { recordBrowseEvents } from '../../../src/services/tracking/record-browse.ts';
import { priceDropCampaign, shopSettings } from '../support/campaign-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const day = 86_400_000;
const now = Date.parse('2026-12-07T12:00:00Z');

const campaignFile = `# Shoppers who looked at, carted or waited for a product that just got cheaper.
name: Now for less
priority: 65 # below a look at one product, above the sale and the win-back
trigger:
  type: price_drop
  min_percent: 10 # at least a tenth off the old price
  days: 30 # viewed, carted or waitlisted in the 30 days before the drop
  max_hours: 72 # a sweep up to three days late still tells them
email:
  template: price-drop.mjml
  subject: "{{ product.title }} is now {{ price_drop.now.display }}, {{ price_drop.percent }}% less"
send_window: { start: "09:00", end: "21:00" }
cooldown_days: 7 # one drop per customer a week, however many products fall
holdout_percent: 10
attribution_days: 3
`;

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(() => temp.cleanup());

describe('the price-drop email', () => {
  it('the proposed campaign file and its template pass validate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rekindle-drop-'));
    try {
      await copyFile('campaigns/settings.yaml', join(dir, 'settings.yaml'));
      await writeFile(join(dir, 'price-drop.yaml'), campaignFile);
      const loaded = await loadCampaigns({ dir, emailsDir: 'emails', checks: validateChecks });
      expect(loaded.ok ? [] : loaded.errors).toEqual([]);
      expect(loaded.warnings).toEqual([]);
      expect(loaded.ok && loaded.set.campaigns[0]?.trigger).toEqual({
        type: 'price_drop',
        minPercent: 10,
        days: 30,
        maxHours: 72,
      });
      // A typo in a price_drop name is caught like any other.
      await writeFile(join(dir, 'price-drop.yaml'), campaignFile.replace('price_drop.now', 'price_drop.new'));
      const typo = await loadCampaigns({ dir, emailsDir: 'emails', checks: validateChecks });
      expect(typo.ok ? [] : typo.errors.map((e) => e.message)).toEqual([expect.stringContaining('new')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the product, the old and the current price; an undone drop has nothing to show', async () => {
    const { store } = temp;
    const ingest = (kind: keyof typeof ingestSchemas, records: unknown[], at = now) =>
      ingestRecords(
        { store },
        { kind, records: records.map((r) => ingestSchemas[kind].parse(r)) as never, now: at },
      );
    await ingest('customers', [
      { id: 'ada', email: 'ada@example.com', first_name: 'Ada', marketing_consent: true },
    ]);
    const mug = (price: string) => ({
      id: 'mug',
      title: 'Stoneware Mug',
      url: 'https://shop.example/p/mug',
      currency: 'GBP',
      price,
      stock: 4,
    });
    await ingest('products', [mug('24.00')], now - 10 * day);
    await recordBrowseEvents(
      { store },
      {
        events: [
          { shopper: { customerId: 'ada' }, kind: browseKinds.product_viewed, ref: 'mug', at: now - 3 * day },
        ],
        now,
        retentionDays: 90,
      },
    );
    await ingest('products', [mug('18.00')], now - day);
    // A second, smaller fall after the drop: the email shows the price as it is.
    await ingest('products', [mug('17.50')], now - day / 2);
    const campaign = priceDropCampaign();
    const set = { settings: shopSettings(), campaigns: [campaign] };
    await runSweep({ store, campaigns: set, now, dryRun: false });
    const [message] = await store.db.all<{ trigger_ref: string }>(sql`SELECT trigger_ref FROM messages`);
    const facts = {
      campaignId: campaign.id,
      step: 0,
      customerId: 'ada',
      email: 'ada@example.com',
      triggerKind: 'price_drop',
      triggerRef: message!.trigger_ref,
      couponCode: null,
    };
    const view = await createViewBuilder({ store, campaigns: set }).forMessage(facts, {
      unsubscribe: 'https://m.example/u/t',
    });
    expect(view.product).toMatchObject({ id: 'mug', title: 'Stoneware Mug' });
    expect(view.price_drop).toEqual({
      was: { display: '£24.00', minor: 2400, currency: 'GBP' },
      now: { display: '£17.50', minor: 1750, currency: 'GBP' },
      percent: 27,
    });
    const email = await createMjmlRenderer({ emailsDir: 'emails' }).render(
      'price-drop.mjml',
      '{{ product.title }} is now {{ price_drop.now.display }}',
      view,
    );
    expect(email.subject).toBe('Stoneware Mug is now £17.50');
    expect(email.text).toContain('Was £24.00');
    expect(email.text).toContain('Now £17.50');
    expect(email.text).toContain('come down by 27%');

    // The price goes back above the dropped one: no view to send.
    await ingest('products', [mug('19.00')], now);
    const delivery = databaseViews(store, set);
    expect(await delivery.build({ message: facts, unsubscribeUrl: '#u' } as never)).toBeNull();
  });
});
