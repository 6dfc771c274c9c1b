// A sender in its own process, for tests that kill it (SIGKILL) mid-send:
// one pass over the outbox in DATABASE_URL through the pooled SMTP transport
// to SMTP_URL, with the test fakes for views and rendering, on the wall
// clock. SEND_BATCH_SIZE, SMTP_POOL_SIZE and SEND_LEASE_MS set the knobs.
// Prints the pass's counts as one JSON line when it ends.
import { createSmtpTransport } from '../../../src/adapters/mailer/smtp.ts';
import { openLibsqlStore } from '../../../src/db/libsql.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { deliveryOptions } from './delivery-fixtures.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const store = await openLibsqlStore({ url: env('DATABASE_URL') });
const poolSize = Number(env('SMTP_POOL_SIZE'));
const transport = createSmtpTransport({ url: env('SMTP_URL'), poolSize });
const counts = await drainOutbox(
  await deliveryOptions(store, transport, {
    now: Date.now,
    settings: {
      batchSize: Number(env('SEND_BATCH_SIZE')),
      concurrency: poolSize,
      leaseMs: Number(env('SEND_LEASE_MS')),
    },
  }),
);
await transport.close();
await store.close();
process.stdout.write(`${JSON.stringify(counts)}\n`);
