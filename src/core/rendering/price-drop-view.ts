// What a price-drop email shows of the drop: the price before it and the
// price now, in the one currency both are in, and the whole percent off
// (rounded down by the rule's owner, src/core/triggers/price-drop.ts). Pure.
import { percentFall } from '../triggers/price-drop.ts';
import type { EmailView } from './contract.ts';
import { moneyView } from './format.ts';

export function priceDropView(
  wasMinor: number,
  nowMinor: number,
  currency: string,
): NonNullable<EmailView['price_drop']> {
  return {
    was: moneyView(wasMinor, currency),
    now: moneyView(nowMinor, currency),
    percent: percentFall(wasMinor, nowMinor),
  };
}
