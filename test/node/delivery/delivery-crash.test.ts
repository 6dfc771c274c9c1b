// A sender killed (SIGKILL) in the gap between the server accepting a
// message and the sender recording it: a real child process sends to a real
// smtp-server on loopback, which kills it while answering one message's data,
// a few times over, before a clean run finishes the outbox. Nothing is lost;
// a message whose send was in flight at a kill arrives at most twice, both
// with the same Message-ID, never three times; and the report counts each
// such resend (at least every duplicate seen, at most pool size per kill).
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messages } from '../../../src/db/schema/index.ts';
import { buildCampaignReports } from '../../../src/services/reports/build-campaign-report.ts';
import { seedCustomers, seedMessages } from '../support/delivery-fixtures.ts';
import { messageIdOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const count = 200;
const poolSize = 3;
const batchSize = 10;
const leaseMs = 1500;
// Each past the first two batches of a run (which may be claims the last
// run left unstarted) and the one holding its interrupted resends, so that
// a kill never interrupts a resend: that message would then fail, not arrive.
const killAfter = [34, 41, 37, 45];

let temp: TempStore;
let sink: SmtpSink;
beforeEach(async () => {
  temp = await openTempStore();
  sink = await startSmtpSink();
});
afterEach(async () => {
  await sink.close();
  await temp.cleanup();
});

function startSender(): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../support/delivery-sender-child.ts')],
    {
      env: {
        ...process.env,
        DATABASE_URL: temp.url,
        SMTP_URL: sink.url,
        SMTP_POOL_SIZE: String(poolSize),
        SEND_BATCH_SIZE: String(batchSize),
        SEND_LEASE_MS: String(leaseMs),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return { child, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

const waitUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

describe('a sender killed mid-send', { timeout: 60_000 }, () => {
  it('loses nothing and delivers each message at most twice, the report counting the resends', async () => {
    await seedMessages(temp.store, await seedCustomers(temp.store, count), { dueAt: 0 });
    let leasesLapse = 0;
    for (const threshold of killAfter) {
      // Its leases lapse first, so the run starts with the resends.
      await waitUntil(leasesLapse);
      const sender = startSender();
      const before = sink.received.length;
      sink.behave({
        data: () => {
          // Killed while the server takes this message: it has it, the sender never hears so.
          if (sink.received.length - before + 1 === threshold) sender.child.kill('SIGKILL');
          return 'accept';
        },
      });
      const code = await sender.exit;
      expect(code).toBeNull();
      leasesLapse = Date.now() + leaseMs;
    }
    sink.behave({});
    await waitUntil(leasesLapse);
    const clean = startSender();
    expect(await clean.exit).toBe(0);

    const rows = await temp.store.db.select().from(messages);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const perMessageId = new Map<string, number>();
    for (const r of sink.received) {
      const id = messageIdOf(r.raw)!;
      perMessageId.set(id, (perMessageId.get(id) ?? 0) + 1);
    }
    expect(perMessageId.size).toBe(count);
    const copies = [...perMessageId.values()];
    expect(Math.max(...copies)).toBeLessThanOrEqual(2);
    const duplicates = copies.filter((n) => n === 2).length;
    // The message each kill struck was accepted and never recorded: resent, so delivered twice.
    expect(duplicates).toBeGreaterThanOrEqual(killAfter.length);

    const [report] = await buildCampaignReports({ store: temp.store }, { now: Date.now() });
    expect(report!.totals.resent).toBeGreaterThanOrEqual(duplicates);
    expect(report!.totals.resent).toBeLessThanOrEqual(killAfter.length * poolSize);
    expect(report!.totals.sent).toBe(count);
    // The only faults the server saw are the kills' reset sockets.
    const codes = new Set(sink.errors.map((e) => (e as NodeJS.ErrnoException).code));
    for (const code of codes) expect(['ECONNRESET', 'EPIPE']).toContain(code);
  });
});
