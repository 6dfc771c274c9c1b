import { describe, expect, it } from 'vitest';
import { campaignInput } from '../../src/core/campaigns/campaign.ts';
import { campaignReference } from '../../src/core/campaigns/reference.ts';
import { settingsInput } from '../../src/core/campaigns/settings.ts';

const reference = campaignReference();
const documented = new Set([...reference.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));

describe('campaignReference', () => {
  it('documents every top-level campaign and settings field', () => {
    for (const key of [...Object.keys(campaignInput.shape), ...Object.keys(settingsInput.shape)]) {
      expect(documented, key).toContain(key);
    }
  });

  it('documents nested fields of every trigger type with their allowed values and defaults', () => {
    expect(reference).toContain('### trigger with type: abandoned_cart');
    expect(reference).toContain(
      '| `trigger.days` | a whole number of days >= 1 | required | Fires when the last purchase is more than this many days ago. |',
    );
    expect(reference).toContain('| `trigger.min_orders` | a whole number >= 1 | `1` |');
    expect(documented).toContain('trigger.steps[].offer.code_prefix');
    expect(documented).toContain('trigger.allocation.factor');
    expect(reference).toContain('| `schedules.cart_cron` | a 5-field cron expression');
    expect(reference).toContain(
      '| `offers.min_days_between_coupons` | a whole number of days from 1 to 365 | optional |',
    );
    expect(reference).toContain('| `offers.while_unredeemed` | true or false | `false` |');
    expect(documented).toContain('exclude_if_messaged_by.campaigns');
    expect(documented).toContain('exclude_if_messaged_by.within_days');
  });

  it('escapes pipes so Liquid filters do not break the table', () => {
    expect(reference).toContain("{{ customer.first_name \\| default: 'Hello' }}");
    for (const line of reference.split('\n').filter((l) => l.startsWith('| `'))) {
      expect(line.split(/(?<!\\)\|/).length, line).toBe(6);
    }
  });
});
