// The facts behind one sweep decision, in words, for --explain: purchases,
// spend against each threshold in the customer's currency, the dormant
// trigger's cadence, the sends inside the frequency cap's window, the
// messages and coupons exclude_if_messaged_by and the offer rule looked at,
// and the holdout draw. Shown whatever the outcome, so a marketer sees why a
// customer got a campaign as well as why another did not. Pure; reads only
// the hit.
import type { Campaign, ShopSettings } from '../campaigns/types.ts';
import { amountIn, type MoneyByCurrency } from '../money-by-currency.ts';
import { moneyView } from '../rendering/format.ts';
import { dayMs } from '../time.ts';
import { customerKey } from './dedupe-key.ts';
import { holdoutBucket } from './holdout.ts';
import { messagedByFacts } from './messaged-by.ts';
import { offerRuleFacts } from './offer-rule.ts';
import type { Hit } from './types.ts';

export function decisionFacts(hit: Hit, campaign: Campaign, settings: ShopSettings, now: number): string[] {
  const facts: string[] = [];
  const known = hit.facts;
  if (known) {
    facts.push(...(known.trigger ?? []));
    const money = (minor: number) => moneyView(minor, known.currency).display;
    if (known.purchases !== null)
      facts.push(`${known.purchases} paid order${known.purchases === 1 ? '' : 's'}`);
    if (known.totalSpentMinor !== null) {
      const limits = [
        threshold('min', campaign.audience.minTotalSpent, known.currency, money),
        threshold('max', campaign.audience.maxTotalSpent, known.currency, money),
      ].filter(Boolean);
      facts.push(
        `spent ${money(known.totalSpentMinor)} in ${known.currency}${limits.length ? ` (${limits.join(', ')})` : ''}`,
      );
    }
    if (known.lastOrderValueMinor !== null && campaign.audience.minLastOrderValue !== null) {
      const limit = threshold('min', campaign.audience.minLastOrderValue, known.currency, money);
      facts.push(`last order ${money(known.lastOrderValueMinor)}${limit ? ` (${limit})` : ''}`);
    }
    const cadence = cadenceFact(campaign, known.purchases, known.firstPurchaseAt, known.lastPurchaseAt, now);
    if (cadence) facts.push(cadence);
  }
  const cap = settings.frequencyCap;
  const since = Math.max(hit.dueAt, now) - cap.perDays * dayMs;
  const inWindow = hit.recentMessageTimes.filter((at) => at > since).length;
  facts.push(
    `${inWindow} other marketing message${inWindow === 1 ? '' : 's'} in the ${cap.perDays}-day cap window (cap ${cap.maxMessages})`,
  );
  facts.push(...messagedByFacts(hit, campaign, now), ...offerRuleFacts(hit, campaign, settings.offers, now));
  if (campaign.holdoutPercent > 0) {
    const bucket = holdoutBucket(campaign.id, customerKey(hit)) / 100;
    facts.push(
      `holdout draw ${bucket.toFixed(2)} of 100 (held out below ${campaign.holdoutPercent}, the same every sweep)`,
    );
  } else {
    facts.push('no holdout (holdout_percent is 0)');
  }
  return facts;
}

function threshold(
  which: 'min' | 'max',
  limit: MoneyByCurrency | null,
  currency: string,
  money: (minor: number) => string,
): string | undefined {
  if (limit === null) return undefined;
  const figure = amountIn(limit, currency);
  const field = which === 'min' ? 'at least' : 'at most';
  return figure === undefined ? `no ${which} figure in ${currency}` : `${field} ${money(figure)}`;
}

/** The dormant trigger's overdue rule in figures: idle time against the customer's mean gap. */
function cadenceFact(
  campaign: Campaign,
  purchases: number | null,
  first: number | undefined,
  last: number | undefined,
  now: number,
): string | undefined {
  const trigger = campaign.trigger;
  if (trigger.type !== 'dormant' || trigger.cadenceFactor === null) return undefined;
  if (purchases === null || first === undefined || last === undefined) return undefined;
  if (purchases < 2)
    return `one purchase: no usual gap yet (cadence_factor ${trigger.cadenceFactor} needs two)`;
  const gapDays = (last - first) / (purchases - 1) / dayMs;
  const idleDays = (now - last) / dayMs;
  const ratio = gapDays > 0 ? `${(idleDays / gapDays).toFixed(1)}x` : 'more than any multiple';
  return `usual gap ${gapDays.toFixed(0)} days, idle ${idleDays.toFixed(0)} days = ${ratio} (cadence_factor ${trigger.cadenceFactor})`;
}
