// The sender inside `rekindle serve`: the delivery loop over the outbox, on
// the campaign set that is current when it starts. A reload that brings a new
// set restarts it (after the send in flight is recorded), so recheck and
// rendering always use the set the sweeps use. Logs counts only, never addresses.

import type { NodeConfig } from '../config/env.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import { loggableReason } from '../core/errors.ts';
import type { Store } from '../db/store.ts';
import { runDeliveryLoop } from '../services/delivery/delivery-loop.ts';
import { createNodeDelivery } from './node-delivery.ts';
import { type LoopHandle, restartableLoop } from './restartable-loop.ts';

export type DeliveryLoopHandle = LoopHandle;

export async function startDeliveryLoop(input: {
  config: NodeConfig;
  store: Store;
  set: CampaignSet;
  log: (line: string) => void;
}): Promise<DeliveryLoopHandle> {
  const { config, store, log } = input;
  // Said once per process: a reload rebuilds the delivery, not the reason to warn.
  let warned = false;

  return restartableLoop(input.set, async (set, signal) => {
    const delivery = await createNodeDelivery({ config, store, campaigns: set, now: Date.now });
    if (delivery.warning && !warned) log(`delivery: ${delivery.warning}`);
    warned ||= delivery.warning !== undefined;
    const done = runDeliveryLoop({
      ...delivery.options,
      signal,
      onPass: (c) =>
        log(
          `delivery: claimed ${c.claimed}, sent ${c.sent}, retrying ${c.retrying}, ambiguous ${c.ambiguous}, failed ${c.failed}, cancelled ${c.cancelled}, deferred ${c.deferred}, awaiting codes ${c.awaitingCodes}`,
        ),
      onError: (error) => log(`delivery: pass failed: ${loggableReason(error)}`),
      onPause: (ms, reason) =>
        log(`delivery: transport unavailable, pausing ${Math.round(ms / 1000)} s: ${reason}`),
    }).finally(() => delivery.close());
    return { done };
  });
}
