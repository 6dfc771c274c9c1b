// The setup the webhook tests share: a fresh libSQL file per test, loopback
// receivers closed after it, and the event helpers bound to that store.
import { afterEach, beforeEach } from 'vitest';
import type { ShopSettings } from '../../../src/core/campaigns/types.ts';
import type { Store } from '../../../src/db/store.ts';
import type { DeliverEventsDeps } from '../../../src/services/webhooks/ports.ts';
import { deliverTo, fourFacts, outgoingRows } from './event-facts.ts';
import { type EventReceiver, type ReceivedEvent, startEventReceiver } from './event-receiver.ts';
import { openTempStore, type TempStore } from './temp-store.ts';

export function eventTest(t0: number) {
  let temp: TempStore | undefined;
  const receivers: EventReceiver[] = [];
  beforeEach(async () => {
    temp = await openTempStore();
  });
  afterEach(async () => {
    for (const receiver of receivers.splice(0)) await receiver.close();
    await temp?.cleanup();
  });
  const store = (): Store => {
    if (!temp) throw new Error('eventTest: no store outside a test');
    return temp.store;
  };
  return {
    store,
    async receiver(answer?: (event: ReceivedEvent, n: number) => number): Promise<EventReceiver> {
      const started = await startEventReceiver(answer);
      receivers.push(started);
      return started;
    },
    deliver: (urls: string[], now: number, extra: Partial<DeliverEventsDeps> = {}) =>
      deliverTo(store(), urls, now, extra),
    fourFacts: (settings: ShopSettings) => fourFacts(store(), settings, t0),
    rows: () => outgoingRows(store()),
  };
}
