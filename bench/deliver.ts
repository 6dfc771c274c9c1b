// Deliver benchmark: 20,000 messages to a local smtp-server sink (its own
// process) through Rekindle's whole delivery path (claim with a lease,
// recheck against the database, view + render with a fixed small renderer,
// tracked links, headers, MIME, send through the pooled SMTP transport,
// record each result), beside bare nodemailer sending the same pre-built
// messages (subject, text, html and headers already rendered; nodemailer
// composes them) through the same pool settings, in the same run. No rate
// limit. ratio = Rekindle ms / bare ms; baseline = bare ms. Goal (issue 13):
// ratio <= 1.3 on a quiet machine and on a busy one.
// The CPU time this process spent on each side is logged too: on a shared
// machine it moves less with other load than the wall time does.
// BENCH_DELIVER_MESSAGES overrides the count for a quick run.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'drizzle-orm';
import { createTransport } from 'nodemailer';
import { nodeTokenSigner } from '../src/adapters/crypto/node-signer.ts';
import { createSmtpTransport } from '../src/adapters/mailer/smtp.ts';
import { buildDeliveryHeaders } from '../src/core/delivery/headers.ts';
import { unsubscribeUrls } from '../src/core/delivery/unsubscribe-link.ts';
import type { TokenSigner } from '../src/core/tracking/tokens.ts';
import { trackLinks } from '../src/core/tracking/track-links.ts';
import { migrateLibsql, openLibsqlStore } from '../src/db/libsql.ts';
import { customers, messages } from '../src/db/schema/index.ts';
import type { Store } from '../src/db/store.ts';
import { drainOutbox } from '../src/services/delivery/drain-outbox.ts';
import { campaigns, renderer, views } from './support/deliver-fixtures.ts';
import { log } from './support/log.ts';
import type { BenchResult } from './support/result.ts';

const count = Number(process.env.BENCH_DELIVER_MESSAGES ?? 20_000);
const poolSize = 5;
const now = Date.parse('2026-11-23T12:00:00Z');
const baseUrl = 'https://mail.shop.example';
const goal = 1.3;

interface Sink {
  port: number;
  count(): Promise<number>;
  reset(): void;
  stop(): void;
}

async function startSink(): Promise<Sink> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'deliver-sink-child.ts')],
    { stdio: ['pipe', 'pipe', 'inherit'] } as never,
  );
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const port = Number((await next()).split(' ')[1]);
  return {
    port,
    async count() {
      const reply = next();
      child.stdin.write('count\n');
      return Number((await reply).split(' ')[1]);
    },
    reset: () => child.stdin.write('reset\n'),
    stop: () => child.stdin.end(),
  };
}

async function seed(store: Store): Promise<void> {
  for (let start = 0; start < count; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, count - start) }, (_, i) => `c${start + i}`);
    await store.batch([
      store.db.insert(customers).values(
        ids.map((id) => ({
          id,
          email: `${id}@example.com`,
          marketingConsent: true,
          createdAt: now,
          updatedAt: now,
        })),
      ),
      store.db.insert(messages).values(
        ids.map((id) => ({
          id: `m-${id}`,
          dedupeKey: `winback:0:${id}:lp1`,
          campaignId: 'winback',
          step: 0,
          customerId: id,
          email: `${id}@example.com`,
          triggerKind: 'dormant',
          triggerRef: 'lp1',
          status: 'scheduled' as const,
          // The sweep notes the offer's currency; the send issues the coupon.
          offerCurrency: 'GBP',
          dueAt: now,
          createdAt: now,
          updatedAt: now,
        })),
      ),
    ]);
  }
}

/** What bare nodemailer is handed: the same emails, already rendered, headers included. */
async function prebuild(signer: TokenSigner) {
  const unsubscribe = unsubscribeUrls(signer, baseUrl);
  const built = [];
  for (let i = 0; i < count; i++) {
    const id = `m-c${i}`;
    const url = await unsubscribe(id);
    const view = await views.build({
      message: { id, customerId: `c${i}`, email: `c${i}@example.com` } as never,
      campaign: campaigns.campaigns[0]!,
      step: campaigns.campaigns[0]!.steps[0]!,
      settings: campaigns.settings,
      unsubscribeUrl: url,
    });
    const rendered = await renderer.render('bench.mjml', 'Hi', view!);
    const tracked = await trackLinks({
      messageId: id,
      html: rendered.html,
      text: rendered.text,
      signer,
      baseUrl,
      signTargets: true,
    });
    const headers = await buildDeliveryHeaders({
      dedupeKey: `winback:0:c${i}:lp1`,
      campaignId: 'winback',
      step: 0,
      fromEmail: 'hello@shop.example',
      unsubscribeUrl: url,
      unsubscribeMailto: 'hello@shop.example',
    });
    built.push({
      from: { name: 'Bench Shop', address: 'hello@shop.example' },
      to: `c${i}@example.com`,
      subject: rendered.subject,
      text: tracked.text ?? rendered.text,
      html: tracked.html,
      messageId: `<${headers.messageId}>`,
      headers: Object.fromEntries(headers.headers.filter(([name]) => name !== 'Message-ID')),
    });
  }
  return built;
}

export async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'rekindle-bench-deliver-'));
  const sink = await startSink();
  const url = `smtp://127.0.0.1:${sink.port}`;
  try {
    // The signer the Node home delivers with (entry/node-delivery.ts).
    const signer = nodeTokenSigner('bench-deliver-secret-0123456789');
    const store = await openLibsqlStore({ url: `file:${join(dir, 'deliver.db')}` });
    await migrateLibsql(store);
    let started = performance.now();
    await seed(store);
    const prebuilt = await prebuild(signer);
    log(
      `setup: ${count} customers + messages seeded, ${count} messages pre-built in ${ms(started)} ms (not timed)`,
    );

    // Bare nodemailer: the pool takes every message at once and queues them itself.
    const bare = createTransport({ url, pool: true, maxConnections: poolSize });
    let cpu = process.cpuUsage();
    started = performance.now();
    await Promise.all(prebuilt.map((mail) => bare.sendMail(mail)));
    const bareMs = performance.now() - started;
    const bareCpuMs = cpuMs(cpu);
    bare.close();
    const bareAccepted = await sink.count();
    log(
      `bare nodemailer: ${count} messages in ${bareMs.toFixed(0)} ms (${rate(count, bareMs)}/s, ${bareCpuMs} ms CPU), sink accepted ${bareAccepted}`,
    );
    sink.reset();

    const transport = createSmtpTransport({ url, poolSize });
    cpu = process.cpuUsage();
    started = performance.now();
    const counts = await drainOutbox({
      store,
      campaigns,
      transport,
      renderer,
      views,
      // As the Node home tracks them (entry/node-delivery.ts): each link signed into its token.
      trackLinks: (input) => trackLinks({ ...input, signer, baseUrl, signTargets: true }),
      unsubscribeUrl: unsubscribeUrls(signer, baseUrl),
      now: () => now,
      settings: { batchSize: 500, concurrency: poolSize * 4, leaseMs: 600_000 },
    });
    const rekindleMs = performance.now() - started;
    const rekindleCpuMs = cpuMs(cpu);
    await transport.close();
    const accepted = await sink.count();
    log(
      `rekindle: ${counts.sent} sent of ${counts.claimed} claimed in ${rekindleMs.toFixed(0)} ms (${rate(count, rekindleMs)}/s, ${rekindleCpuMs} ms CPU), sink accepted ${accepted}`,
    );
    const [issued] = await store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM coupons`);
    await store.close();
    if (counts.sent !== count || accepted !== count || bareAccepted !== count || issued?.n !== count) {
      throw new Error(
        `expected ${count} everywhere: rekindle sent ${counts.sent}, sink ${accepted}, bare ${bareAccepted}, coupons ${issued?.n}`,
      );
    }
    const ratio = rekindleMs / bareMs;
    log(
      `goal: ratio ${ratio.toFixed(2)} <= ${goal} ${ratio <= goal ? 'ok' : 'MISSED'}; baseline = bare nodemailer ms`,
    );
    return {
      name: 'deliver',
      ratio,
      figures: {
        rekindle_ms: Math.round(rekindleMs),
        bare_ms: Math.round(bareMs),
        per_s: Math.round((count / rekindleMs) * 1000),
      },
      baseline: Math.round(bareMs),
    };
  } finally {
    sink.stop();
    if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  }
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
};
const ms = (since: number) => (performance.now() - since).toFixed(0);
const rate = (n: number, elapsed: number) => Math.round((n / elapsed) * 1000).toLocaleString('en');
