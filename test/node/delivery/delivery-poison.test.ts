// One message that cannot be read or rendered never stops the delivery of
// the others: a row the driver refuses fails only its own message, a renderer
// that throws on one message fails that one, and a message that kills the
// sender each time it is read (simulated: the pass stops dead there, its
// claims left to lapse) is failed after a bounded number of claims, unread,
// while the messages claimed beside it are delivered once.
import { type Client, createClient, type InStatement } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransport } from '../../../src/adapters/mailer/memory.ts';
import type { MessageRenderer } from '../../../src/core/rendering/contract.ts';
import * as schema from '../../../src/db/schema/index.ts';
import { messages } from '../../../src/db/schema/index.ts';
import type { Statement, Store } from '../../../src/db/store.ts';
import { databaseViews } from '../../../src/services/delivery/db-views.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import type { DeliveryViews } from '../../../src/services/delivery/ports.ts';
import {
  campaignSet,
  deliveryOptions,
  fakeRenderer,
  fakeViews,
  seedCustomers,
  seedMessages,
  statuses,
  t0,
} from '../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
let client: Client | undefined;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  client?.close();
  client = undefined;
  await temp.cleanup();
});

/**
 * The same libSQL file through a client that refuses every statement naming
 * `customerId`, as the driver refuses a row it cannot decode.
 */
function refusingStore(url: string, customerId: string): Store {
  const real = createClient({ url });
  client = real;
  const names = (statement: InStatement) =>
    typeof statement !== 'string' &&
    Array.isArray(statement.args) &&
    statement.args.some((arg) => arg === customerId);
  const refuse = () => Promise.reject(new Error('SQLITE_ERROR: invalid UTF-8 in a text column'));
  const refusing = new Proxy(real, {
    get(target, key, receiver) {
      if (key === 'execute') {
        return (statement: InStatement) => (names(statement) ? refuse() : target.execute(statement));
      }
      if (key === 'batch') {
        return (statements: InStatement[], mode?: 'write' | 'read' | 'deferred') =>
          statements.some(names) ? refuse() : target.batch(statements, mode);
      }
      return Reflect.get(target, key, receiver);
    },
  });
  const db = drizzle(refusing, { schema });
  return {
    db: db as unknown as Store['db'],
    limits: temp.store.limits,
    batch: (statements: Statement[]) =>
      statements.length === 0 ? Promise.resolve([]) : db.batch(statements as [Statement, ...Statement[]]),
    close: async () => real.close(),
  };
}

async function row(id: string) {
  const [found] = await temp.store.db.select().from(messages).where(eq(messages.id, id));
  return found!;
}

describe('a poison message', () => {
  it('fails alone when its row cannot be read or its template throws; the rest of the batch is sent', async () => {
    await seedMessages(temp.store, await seedCustomers(temp.store, 5));
    const store = refusingStore(temp.url, 'c3');
    const renderer: MessageRenderer = {
      async render(template, subject, view) {
        if (view.customer.id === 'c2')
          throw new TypeError('cannot read properties of null (reading "title")');
        return fakeRenderer.render(template, subject, view);
      },
    };
    const transport = createMemoryTransport();
    const options = await deliveryOptions(store, transport, {
      renderer,
      // The real view builder, which reads the customer row too.
      views: databaseViews(store, campaignSet()),
    });
    const counts = await drainOutbox(options);
    expect(counts).toMatchObject({ claimed: 5, sent: 3, failed: 2, retrying: 0 });
    expect(transport.sent.map((m) => m.envelope.to).sort()).toEqual([
      'c1@example.com',
      'c4@example.com',
      'c5@example.com',
    ]);
    const unreadable = await row('m00003');
    expect(unreadable).toMatchObject({ status: 'failed', attempts: 0, leaseUntil: null });
    expect(unreadable.lastError).toMatch(/^unreadable: .*invalid UTF-8/);
    const broken = await row('m00002');
    expect(broken).toMatchObject({ status: 'failed', attempts: 0 });
    expect(broken.lastError).toMatch(/^render: TypeError: cannot read properties of null/);

    // Failed for good: a later pass neither reads nor sends them again.
    const later = await drainOutbox({ ...options, now: () => t0 + 86_400_000 });
    expect(later.claimed).toBe(0);
    expect(transport.sent).toHaveLength(3);
  });

  it('is failed unread after three claims without an outcome, and its batch-mates are delivered once', async () => {
    await seedMessages(temp.store, await seedCustomers(temp.store, 5));
    const transport = createMemoryTransport();
    let reads = 0;
    let reached = () => {};
    // Reading c3 "kills" the sender: the pass stops dead there and records nothing more.
    const views: DeliveryViews = {
      build(input) {
        if (input.message.customerId !== 'c3') return fakeViews.build(input);
        reads++;
        reached();
        return new Promise(() => {});
      },
    };
    const settings = { batchSize: 10, concurrency: 2, leaseMs: 60_000 };
    const options = async (now: number) =>
      deliveryOptions(temp.store, transport, { views, settings, now: () => now });
    const dyingPass = async (now: number) => {
      const died = new Promise<void>((resolve) => {
        reached = resolve;
      });
      void drainOutbox(await options(now));
      await died;
    };

    // Start after start dies on c3, each once the lease of the last has lapsed.
    for (let run = 0; run < 3; run++) await dyingPass(t0 + run * 61_000);
    expect(reads).toBe(3);
    const stuck = await row('m00003');
    expect(stuck).toMatchObject({ status: 'sending', claims: 3, attempts: 0 });
    // Its batch-mates were claimed with it only once: the lapsed claims come back one at a time.
    for (const id of ['m00004', 'm00005']) expect((await row(id)).claims).toBe(1);

    const counts = await drainOutbox(await options(t0 + 3 * 61_000));
    expect(reads).toBe(3);
    expect(counts).toMatchObject({ sent: 4, failed: 1 });
    const failed = await row('m00003');
    expect(failed).toMatchObject({ status: 'failed', attempts: 0, leaseUntil: null });
    expect(failed.lastError).toBe('claimed 3 times without an outcome');
    expect(await statuses(temp.store)).toEqual({
      m00001: 'sent',
      m00002: 'sent',
      m00003: 'failed',
      m00004: 'sent',
      m00005: 'sent',
    });
    expect(transport.sent.map((m) => m.envelope.to).sort()).toEqual([
      'c1@example.com',
      'c2@example.com',
      'c4@example.com',
      'c5@example.com',
    ]);
  });
});
