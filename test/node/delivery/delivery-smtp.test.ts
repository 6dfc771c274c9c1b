// Delivery through a real SMTP server on loopback: what arrives (both parts,
// RFC 8058 headers, Message-ID, tracked links, a DKIM signature mailauth
// accepts), and what the outbox does with 451, 550, drops before and after
// DATA, and a sender stopped mid-batch.
import { generateKeyPairSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDkimSigner } from '../../../src/adapters/mailer/dkim.ts';
import { createSmtpTransport } from '../../../src/adapters/mailer/smtp.ts';
import { messageIdLocalPart } from '../../../src/core/delivery/headers.ts';
import type { MailTransport } from '../../../src/core/delivery/transport.ts';
import { hashEmail } from '../../../src/core/email-hash.ts';
import { createTokenSigner } from '../../../src/core/tracking/tokens.ts';
import { customers, messages, suppressions } from '../../../src/db/schema/index.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import {
  baseUrl,
  deliveryOptions,
  secret,
  seedCustomers,
  seedMessages,
  statuses,
  t0,
} from '../support/delivery-fixtures.ts';
import { messageIdOf, type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
let sink: SmtpSink;
let transport: MailTransport;

beforeEach(async () => {
  temp = await openTempStore();
  sink = await startSmtpSink();
});

afterEach(async () => {
  await transport?.close();
  await sink.close();
  await temp.cleanup();
});

const minute = 60_000;

async function message(id: string) {
  const [row] = await temp.store.db.select().from(messages).where(eq(messages.id, id));
  return row!;
}

describe('SMTP delivery', () => {
  it('delivers both parts with the RFC 8058 headers, tracked links, the coupon and a valid DKIM signature', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const dns = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    transport = createSmtpTransport({
      url: sink.url,
      poolSize: 2,
      sign: createDkimSigner({ domainName: 'shop.example', keySelector: 'rk1', privateKey: pem }),
    });
    const [customerId] = await seedCustomers(temp.store, 1);
    const [id] = await seedMessages(temp.store, [customerId!], { couponCode: 'BACK-7KQ9-M2XF' });

    const counts = await drainOutbox(await deliveryOptions(temp.store, transport));
    expect(counts).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
    expect(sink.received).toHaveLength(1);
    const received = sink.received[0]!;
    expect(received.to).toEqual(['c1@example.com']);
    expect(received.from).toBe('hello@shop.example');

    const parsed = await simpleParser(received.raw);
    expect(parsed.subject).toBe('Ada, we miss you');
    expect(parsed.text).toContain('Use BACK-7KQ9-M2XF.');
    expect(parsed.html).toContain('Use BACK-7KQ9-M2XF.');
    const dedupeKey = (await message(id!)).dedupeKey;
    expect(parsed.messageId).toBe(`<${await messageIdLocalPart(dedupeKey)}@shop.example>`);
    const header = (name: string) =>
      parsed.headerLines.find((h) => h.key === name)?.line.replace(/\r\n\s+/g, ' ');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-id')).toBe('List-ID: <winback.shop.example>');
    expect(header('feedback-id')).toBe('Feedback-ID: winback:step1:shop-example');
    const unsubscribe = /List-Unsubscribe: <(https:[^>]+)>, <(mailto:[^>]+)>/.exec(
      header('list-unsubscribe')!,
    );
    expect(unsubscribe?.[2]).toBe('mailto:hello@shop.example?subject=unsubscribe');
    const signer = await createTokenSigner(secret);
    const unsubscribeToken = unsubscribe![1]!.slice(`${baseUrl}/u/`.length);
    expect(await signer.verify(unsubscribeToken)).toEqual({ purpose: 'unsubscribe', messageId: id });

    // The shop link goes through a signed click URL whose index names the stored link.
    const click = /href="(https:\/\/mail\.shop\.example\/t\/c\/[^"]+)"/.exec(parsed.html as string)?.[1];
    const claim = await signer.verify(click!.slice(`${baseUrl}/t/c/`.length));
    const row = await message(id!);
    expect(JSON.parse(row.links!)[claim!.linkIndex!]).toBe('https://shop.example/');
    expect(parsed.html).toContain(`${baseUrl}/t/o/`);
    expect(row).toMatchObject({ status: 'sent', sentAt: t0, attempts: 1, providerMessageId: 'Q1' });

    const dkim = await dkimVerify(received.raw, {
      resolver: async (name: string, type: string) => {
        expect([name, type]).toEqual(['rk1._domainkey.shop.example', 'TXT']);
        return [[dns]];
      },
    });
    expect(dkim.results).toHaveLength(1);
    expect(dkim.results[0]!.status.result).toBe('pass');
    const signed = /\bh=([^;]+)/
      .exec(received.raw.replace(/\r\n\s+/g, ''))![1]!
      .toLowerCase()
      .split(':');
    expect(signed).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'from']));
  });

  it('retries a 451 with backoff and delivers it exactly once on the 250', async () => {
    transport = createSmtpTransport({ url: sink.url, poolSize: 1 });
    const [customerId] = await seedCustomers(temp.store, 1);
    const [id] = await seedMessages(temp.store, [customerId!]);
    sink.behave({ data: () => ({ code: 451, message: 'try again later' }) });

    const first = await drainOutbox(await deliveryOptions(temp.store, transport));
    expect(first).toMatchObject({ claimed: 1, sent: 0, retrying: 1 });
    const waiting = await message(id!);
    expect(waiting).toMatchObject({ status: 'scheduled', attempts: 1, leaseUntil: null });
    expect(waiting.lastError).toContain('451');
    // Base 60 s, jitter pinned at 0.5: three quarters of the nominal delay.
    expect(waiting.dueAt).toBe(t0 + 45_000);
    expect(sink.received).toHaveLength(0);

    sink.behave({});
    const early = await drainOutbox(await deliveryOptions(temp.store, transport, { now: () => t0 + 30_000 }));
    expect(early.claimed).toBe(0);
    const later = await drainOutbox(await deliveryOptions(temp.store, transport, { now: () => t0 + minute }));
    expect(later).toMatchObject({ claimed: 1, sent: 1 });
    expect(sink.received).toHaveLength(1);
    expect(await message(id!)).toMatchObject({ status: 'sent', attempts: 2 });
    const again = await drainOutbox(
      await deliveryOptions(temp.store, transport, { now: () => t0 + 60 * minute }),
    );
    expect(again.claimed).toBe(0);
    expect(sink.received).toHaveLength(1);
  });

  it('gives up after the last attempt', async () => {
    transport = createSmtpTransport({ url: sink.url, poolSize: 1 });
    const [id] = await seedMessages(temp.store, await seedCustomers(temp.store, 1));
    sink.behave({ rcpt: () => ({ code: 452, message: 'mailbox busy' }) });
    let now = t0;
    for (let i = 0; i < 3; i++) {
      await drainOutbox(
        await deliveryOptions(temp.store, transport, {
          now: () => now,
          settings: { retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 } },
        }),
      );
      now += 60_000;
    }
    const row = await message(id!);
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.lastError).toMatch(/gave up after 3 attempts: temporary: 452/);
  });

  it('fails a 550 and suppresses the address; a 550 5.7.1 policy block fails without suppressing', async () => {
    transport = createSmtpTransport({ url: sink.url, poolSize: 1 });
    const ids = await seedCustomers(temp.store, 3);
    const [gone, blocked] = await seedMessages(temp.store, ids.slice(0, 2));
    // c1's address also has a later message waiting: the bounce cancels it.
    await seedMessages(temp.store, ['c1'], {
      id: 'later',
      dedupeKey: 'other:0:c1:x',
      dueAt: t0 + 86_400_000,
    });
    sink.behave({
      rcpt: (address) =>
        address === 'c1@example.com'
          ? { code: 550, message: '5.1.1 No such user here' }
          : { code: 550, message: '5.7.1 Message rejected as spam' },
    });
    const counts = await drainOutbox(await deliveryOptions(temp.store, transport));
    expect(counts).toMatchObject({ claimed: 2, failed: 2, suppressed: 1 });
    expect(await message(gone!)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await message(gone!)).lastError).toContain('550');
    expect(await message(blocked!)).toMatchObject({ status: 'failed' });
    expect(await message('later')).toMatchObject({ status: 'cancelled', cancelReason: 'bounced' });

    const people = await temp.store.db.select().from(customers);
    const c1 = people.find((p) => p.id === 'c1')!;
    const c2 = people.find((p) => p.id === 'c2')!;
    expect(c1).toMatchObject({ suppressionReason: 'bounced', suppressedAt: t0 });
    expect(c2.suppressedAt).toBeNull();
    const hashes = await temp.store.db.select().from(suppressions);
    expect(hashes).toEqual([
      { emailHash: await hashEmail('c1@example.com'), reason: 'bounced', createdAt: t0 },
    ]);
    expect(sink.received).toHaveLength(0);
  });

  it('puts a message back untouched when the connection drops before DATA, and pauses instead', async () => {
    transport = createSmtpTransport({ url: sink.url, poolSize: 1 });
    const [id] = await seedMessages(temp.store, await seedCustomers(temp.store, 1));
    sink.behave({ rcpt: () => 'drop' });
    let clock = t0;
    const pauses: number[] = [];
    const counts = await drainOutbox(
      await deliveryOptions(temp.store, transport, {
        now: () => clock,
        clock: () => clock,
        sleep: async (ms) => {
          pauses.push(ms);
          clock += ms;
          sink.behave({});
        },
      }),
    );
    // A drop before the data is the connection's, not the message's: no attempt spent.
    expect(counts).toMatchObject({ deferred: 1, retrying: 0, sent: 1, failed: 0 });
    expect(pauses).toEqual([1000]);
    expect(await message(id!)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(sink.dataAttempts).toBe(1);
  });

  it('marks a drop after DATA ambiguous and retries it once with the same Message-ID, never again', async () => {
    transport = createSmtpTransport({ url: sink.url, poolSize: 1 });
    const [id] = await seedMessages(temp.store, await seedCustomers(temp.store, 1));
    const seen: string[] = [];
    sink.behave({
      data: (raw) => {
        seen.push(messageIdOf(raw)!);
        return 'drop';
      },
    });
    const first = await drainOutbox(await deliveryOptions(temp.store, transport));
    expect(first).toMatchObject({ claimed: 1, ambiguous: 1, retrying: 0 });
    expect(await message(id!)).toMatchObject({ status: 'ambiguous', attempts: 1, leaseUntil: null });

    const second = await drainOutbox(
      await deliveryOptions(temp.store, transport, { now: () => t0 + 10 * minute }),
    );
    expect(second).toMatchObject({ claimed: 1, failed: 1 });
    const row = await message(id!);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row.lastError).toMatch(/^after an ambiguous send: ambiguous/);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);

    const third = await drainOutbox(
      await deliveryOptions(temp.store, transport, { now: () => t0 + 600 * minute }),
    );
    expect(third.claimed).toBe(0);
    expect(sink.dataAttempts).toBe(2);
  });

  it('sends an ambiguous message once more and records it sent when that retry is accepted', async () => {
    transport = createSmtpTransport({ url: sink.url, poolSize: 1 });
    const [id] = await seedMessages(temp.store, await seedCustomers(temp.store, 1));
    sink.behave({ data: (_raw, attempt) => (attempt === 1 ? 'drop' : 'accept') });
    await drainOutbox(await deliveryOptions(temp.store, transport));
    await drainOutbox(await deliveryOptions(temp.store, transport, { now: () => t0 + 10 * minute }));
    expect(await message(id!)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sink.received).toHaveLength(1);
  });

  it('delivers every message exactly once when a sender stops mid-batch and another takes over', async () => {
    transport = createSmtpTransport({ url: sink.url, poolSize: 3 });
    const ids = await seedMessages(temp.store, await seedCustomers(temp.store, 40));
    const stop = new AbortController();
    let delivered = 0;
    const stopping: MailTransport = {
      name: 'stopping',
      async send(mail) {
        const outcome = await transport.send(mail);
        // Stopped (SIGTERM, a reload) after 13 deliveries: nothing more starts.
        if (++delivered === 13) stop.abort();
        return outcome;
      },
      close: async () => {},
    };
    const first = await drainOutbox(
      await deliveryOptions(temp.store, stopping, {
        signal: stop.signal,
        settings: { batchSize: 20, concurrency: 3, leaseMs: 60_000 },
      }),
    );
    // The two sends already in flight when it stopped finish and are recorded; the
    // rest of its batch, and the next batch it had claimed ahead, go back as they were.
    expect(first.sent).toBeGreaterThanOrEqual(13);
    expect(first.sent).toBeLessThanOrEqual(15);
    expect(first.abandoned).toBeGreaterThan(0);
    expect(first.sent + first.abandoned).toBe(first.claimed);
    const rows = await temp.store.db.select().from(messages);
    const back = rows.filter((r) => r.status === 'scheduled');
    expect(back).toHaveLength(40 - first.sent);
    expect(back.every((r) => r.leaseUntil === null && r.attempts === 0 && r.sendStartedAt === null)).toBe(
      true,
    );

    // So a second sender takes them all at once, without waiting for a lease to run out.
    const options = { settings: { batchSize: 20, concurrency: 3, leaseMs: 60_000 } };
    const next = await drainOutbox(
      await deliveryOptions(temp.store, transport, { ...options, now: () => t0 + 1000 }),
    );
    expect(next.sent).toBe(40 - first.sent);

    expect(Object.values(await statuses(temp.store)).every((s) => s === 'sent')).toBe(true);
    const perRecipient = new Map<string, number>();
    for (const r of sink.received) perRecipient.set(r.to[0]!, (perRecipient.get(r.to[0]!) ?? 0) + 1);
    expect(perRecipient.size).toBe(ids.length);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
  });
});
