// rekindle send: drains the outbox once (claim due messages, recheck, render,
// send through the configured transport, record) and prints the counts.
import { resolve } from 'node:path';
import { createNodeDelivery } from '../entry/node-delivery.ts';
import { drainOutbox } from '../services/delivery/drain-outbox.ts';
import { parseCommandLine } from './args.ts';
import { loadCampaignSetFor } from './campaign-set.ts';
import { type Command, printJson, printTable, UsageError } from './io.ts';

const usage = 'usage: rekindle send [--limit N] [--json]';

export const sendCommand: Command = async (argv, io) => {
  const args = parseCommandLine(argv, {
    usage,
    options: { limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const { values } = args;
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new UsageError(`--limit must be a whole number >= 1, got '${values.limit}'`);
  }

  const set = await loadCampaignSetFor(io, 'nothing sent');
  if (!set) return 1;
  const store = await io.openStore();
  const delivery = await createNodeDelivery({ config: io.config, store, campaigns: set, now: io.now });
  try {
    if (delivery.warning) io.stderr.write(`rekindle: ${delivery.warning}\n`);
    const counts = await drainOutbox({
      ...delivery.options,
      limit,
      // The pass waits out an outage (nothing is failed for it); say so, or it looks hung.
      onPause: (ms, reason) =>
        io.stderr.write(`rekindle: transport unavailable, pausing ${Math.round(ms / 1000)} s: ${reason}\n`),
    });
    const where = delivery.transport.name === 'eml' ? resolve(io.config.OUTBOX_DIR) : delivery.transport.name;
    if (values.json) {
      printJson(io, {
        transport: delivery.transport.name,
        outbox_dir: delivery.transport.name === 'eml' ? where : null,
        ...counts,
      });
      return 0;
    }
    printTable(io, [
      {
        claimed: counts.claimed,
        sent: counts.sent,
        retrying: counts.retrying,
        ambiguous: counts.ambiguous,
        failed: counts.failed,
        suppressed: counts.suppressed,
        cancelled: counts.cancelled,
        deferred: counts.deferred,
      },
    ]);
    const reasons = Object.entries(counts.cancelReasons).map(([reason, n]) => `${reason} ${n}`);
    if (reasons.length > 0) io.stdout.write(`cancelled: ${reasons.join(', ')}\n`);
    if (counts.awaitingCodes > 0) {
      io.stdout.write(
        `waiting for the shop's checkout to take their coupon codes: ${counts.awaitingCodes} (see last_error; retried later)\n`,
      );
    }
    if (counts.sent > 0) io.stdout.write(`sent via ${where}\n`);
    return 0;
  } finally {
    await delivery.close();
    await store.close();
  }
};
