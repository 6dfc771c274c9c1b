// An SMTP outage spends no message's attempts: a real smtp-server on
// loopback is stopped (its port closed) for two simulated hours while the
// pass, and the serve loop, keep trying; the clock and the sleeps are
// injected, so nothing really waits. Nothing fails, no attempt is spent, the
// pauses grow and stay capped, and when the server is back every message
// arrives exactly once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../../src/adapters/mailer/smtp.ts';
import { defaultSendPause } from '../../../src/core/delivery/send-pause.ts';
import type { MailTransport } from '../../../src/core/delivery/transport.ts';
import { messages } from '../../../src/db/schema/index.ts';
import { runDeliveryLoop } from '../../../src/services/delivery/delivery-loop.ts';
import { type DrainOptions, drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { deliveryOptions, seedCustomers, seedMessages, t0 } from '../support/delivery-fixtures.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const hour = 3_600_000;
const outage = 2 * hour;

let temp: TempStore;
let sink: SmtpSink | undefined;
let transport: MailTransport;

beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await transport?.close();
  await sink?.close();
  sink = undefined;
  await temp.cleanup();
});

/**
 * A server that goes down before the first send and comes back `outage` ms
 * later, on the same port, and a fake clock that only sleeps move.
 */
async function serverDownFor(count: number) {
  const first = await startSmtpSink();
  const url = first.url;
  const port = Number(new URL(url).port);
  await first.close();
  transport = createSmtpTransport({ url, poolSize: 3 });
  await seedMessages(temp.store, await seedCustomers(temp.store, count));
  let clock = t0;
  const sleeps: number[] = [];
  const midOutage: { status: string; attempts: number }[][] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock += ms;
    if (clock >= t0 + hour && midOutage.length === 0) {
      midOutage.push(
        await temp.store.db.select({ status: messages.status, attempts: messages.attempts }).from(messages),
      );
    }
    if (clock >= t0 + outage && !sink) sink = await startSmtpSink({}, { port });
  };
  const options: DrainOptions = await deliveryOptions(temp.store, transport, {
    now: () => clock,
    clock: () => clock,
    sleep,
    // Default retry policy: 5 attempts from 60 s; a 2-hour outage would fail every message.
    settings: { batchSize: 10, concurrency: 3, leaseMs: 300_000 },
  });
  return { options, sleeps, midOutage, now: () => clock };
}

async function expectAllSentOnce(count: number) {
  const rows = await temp.store.db.select().from(messages);
  expect(rows).toHaveLength(count);
  for (const row of rows) {
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, claims: 0 });
  }
  const perRecipient = new Map<string, number>();
  for (const r of sink!.received) perRecipient.set(r.to[0]!, (perRecipient.get(r.to[0]!) ?? 0) + 1);
  expect(perRecipient.size).toBe(count);
  expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
}

function expectBackoff(sleeps: readonly number[]) {
  expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(outage);
  expect(Math.max(...sleeps)).toBe(defaultSendPause.maxMs);
  // Exponential from 1 s: about 9 doublings, then the cap every 5 minutes.
  expect(sleeps.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
  expect(sleeps.length).toBeLessThan(40);
}

describe('an SMTP outage', () => {
  it('pauses one pass for two hours without failing or charging a message, then sends each once', async () => {
    const { options, sleeps, midOutage } = await serverDownFor(30);
    const counts = await drainOutbox(options);
    expect(counts).toMatchObject({ sent: 30, failed: 0, retrying: 0, ambiguous: 0 });
    expect(counts.deferred).toBeGreaterThan(0);
    expect(midOutage[0]!.every((m) => m.status === 'scheduled' && m.attempts === 0)).toBe(true);
    expectBackoff(sleeps);
    await expectAllSentOnce(30);
  });

  it('pauses the serve loop across passes the same way', async () => {
    const { options, sleeps, midOutage } = await serverDownFor(25);
    const stop = new AbortController();
    const passes: number[] = [];
    await runDeliveryLoop({
      ...options,
      signal: stop.signal,
      idleMs: 5_000,
      // Small passes, so the outage spans many of them.
      settings: { ...options.settings, batchSize: 2 },
      onPass: (counts) => {
        passes.push(counts.claimed);
        if (sink && sink.received.length === 25) stop.abort();
      },
    });
    expect(passes.length).toBeGreaterThan(3);
    expect(midOutage[0]!.every((m) => m.status === 'scheduled' && m.attempts === 0)).toBe(true);
    // The pause outlives each pass: no pass starts by hammering the server again.
    expectBackoff(sleeps.filter((ms) => ms !== 5_000));
    await expectAllSentOnce(25);
  });
});
