import { describe, expect, it } from 'vitest';
import { decide, newSelectionState } from '../../src/core/selection/select.ts';
import { newSendPlan } from '../../src/core/selection/send-plan.ts';
import type { Hit } from '../../src/core/selection/types.ts';
import { dormantCampaign, shopSettings } from '../node/support/campaign-fixtures.ts';

const evening = Date.parse('2026-11-23T19:30:00Z'); // 19:30 in London, 14:30 in New York

function hit(id: string, timezone: string | null): Hit {
  return {
    campaignId: 'winback',
    triggerKind: 'dormant',
    step: 0,
    instance: `i-${id}`,
    triggerRef: `i-${id}`,
    customerId: id,
    email: `${id}@example.com`,
    currency: 'GBP',
    timezone,
    consent: true,
    suppressed: false,
    dueAt: evening,
    recentMessageTimes: [],
    lastCampaignMessageAt: null,
  };
}

describe('the send plan', () => {
  it('counts scheduled messages by the hour they go out in the shop zone, after the send window', () => {
    const campaign = dormantCampaign({ sendWindow: { startMinute: 9 * 60, endMinute: 17 * 60, days: [] } });
    const settings = shopSettings({ frequencyCap: { maxMessages: 5, perDays: 7 } });
    const state = newSelectionState();
    const decisions = [hit('a', 'Europe/London'), hit('b', null), hit('c', 'America/New_York')].map((h) =>
      decide(h, campaign, settings, state, evening),
    );
    const plan = newSendPlan('Europe/London');
    plan.add(decisions);
    // London's window has closed: 09:00 tomorrow. New York is at 14:30, inside its window: now.
    expect(plan.rows()).toEqual([
      { campaign: 'winback', day: '2026-11-23', hour: '19:00', messages: 1 },
      { campaign: 'winback', day: '2026-11-24', hour: '09:00', messages: 2 },
    ]);
  });

  it('leaves out held-out and excluded decisions, and labels hours across a DST change', () => {
    const plan = newSendPlan('Europe/London');
    const base = hit('x', null);
    plan.add([
      { hit: base, outcome: 'scheduled', dueAt: Date.parse('2026-03-29T00:30:00Z') }, // 00:30 GMT
      { hit: base, outcome: 'scheduled', dueAt: Date.parse('2026-03-29T01:30:00Z') }, // 02:30 BST
      { hit: base, outcome: 'held_out', dueAt: Date.parse('2026-03-29T01:30:00Z') },
      { hit: base, outcome: 'excluded', rule: 'cooldown', detail: 'x' },
    ]);
    expect(plan.rows().map((row) => [row.day, row.hour, row.messages])).toEqual([
      ['2026-03-29', '00:00', 1],
      ['2026-03-29', '02:00', 1],
    ]);
  });
});
