// The sender's rate cap, measured where it matters: the times a real SMTP
// server on loopback accepted each message. No sliding second may hold more
// than the configured rate.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../../src/adapters/mailer/smtp.ts';
import { createRateLimiter } from '../../../src/core/delivery/send-rate-cap.ts';
import type { MailTransport } from '../../../src/core/delivery/transport.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { deliveryOptions, seedCustomers, seedMessages } from '../support/delivery-fixtures.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
let sink: SmtpSink;
let transport: MailTransport;
beforeEach(async () => {
  temp = await openTempStore();
  sink = await startSmtpSink();
});
afterEach(async () => {
  await transport.close();
  await sink.close();
  await temp.cleanup();
});

describe('send rate', () => {
  it('never has the SMTP sink accept more than the configured rate in any sliding second', async () => {
    const rate = 6;
    transport = createSmtpTransport({ url: sink.url, poolSize: 4 });
    await seedMessages(temp.store, await seedCustomers(temp.store, 26));
    const limiter = createRateLimiter({ perWindow: rate });
    // Two passes share the limiter, as the serve loop's passes do: the seam between them is capped too.
    for (const limit of [13, 13]) {
      await drainOutbox(
        await deliveryOptions(temp.store, transport, {
          limiter,
          limit,
          settings: { batchSize: 5, concurrency: 4, leaseMs: 600_000 },
        }),
      );
    }
    const accepted = sink.received.map((r) => r.at).sort((a, b) => a - b);
    expect(accepted).toHaveLength(26);
    let busiest = 0;
    for (let i = 0, j = 0; i < accepted.length; i++) {
      while (accepted[i]! - accepted[j]! >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(rate);
    // Unthrottled, 26 messages over 4 connections arrive within a few hundred ms; the cap spread them out.
    expect(busiest).toBeGreaterThan(1);
  });
});
