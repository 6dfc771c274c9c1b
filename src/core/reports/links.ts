// Clicks per link of a campaign: each URL its emails linked to (the stored
// link behind the click's index), with the clicks on it and the people who
// clicked. A link fewer than `linkMinimumPeople` people clicked is summed, not
// named: it may be one recipient's own (a cart's recovery link, a coupon code
// in the URL), which a report must not show. Pure.
import type { LinkClicks, LinkFacts } from './types.ts';

export const linkMinimumPeople = 2;

export function linkClicks(rows: readonly LinkFacts[]): LinkClicks {
  const shown = rows.filter((r) => r.people >= linkMinimumPeople);
  const hidden = rows.filter((r) => r.people < linkMinimumPeople);
  return {
    links: shown
      .map(({ url, people, clicks }) => ({ url, people, clicks }))
      .sort((a, b) => b.clicks - a.clicks || b.people - a.people || (a.url < b.url ? -1 : 1)),
    fewPeople: { links: hidden.length, clicks: hidden.reduce((sum, r) => sum + r.clicks, 0) },
  };
}
