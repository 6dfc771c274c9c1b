// The homes' wiring of events to the shop on Node: `rekindle validate` names
// a bad webhooks field; `rekindle serve` takes up the settings' endpoints,
// warns once about a missing secret, and delivers an unsubscribe made over
// HTTP to a receiver on loopback; `rekindle webhooks deliver` and `list` do a
// pass and show where each event stands.
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseNodeEnv } from '../../../src/config/env.ts';
import { createTokenSigner } from '../../../src/core/tracking/tokens.ts';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import type { Store } from '../../../src/db/store.ts';
import { type RunningServer, startNodeServer } from '../../../src/entry/node-server.ts';
import { runCliInProcess, runRekindle } from '../support/cli.ts';
import {
  eventSecret,
  secretEnv,
  sendCouponMail,
  settingsWithWebhooks,
  unsubscribeAt,
} from '../support/event-facts.ts';
import { type EventReceiver, signatureValid, startEventReceiver } from '../support/event-receiver.ts';
import { paths, signingSecret } from '../support/tracking-fixtures.ts';

let dir: string;
let shop: EventReceiver;
let server: RunningServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-webhooks-'));
  await cp('campaigns', join(dir, 'campaigns'), { recursive: true });
  shop = await startEventReceiver();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await shop.close();
  await rm(dir, { recursive: true, force: true });
});

const settingsFile = () => join(dir, 'campaigns', 'settings.yaml');
const env = (extra: Record<string, string | undefined> = {}) => ({
  DATABASE_URL: `file:${join(dir, 'rekindle.db')}`,
  CAMPAIGNS_DIR: join(dir, 'campaigns'),
  EMAILS_DIR: 'emails',
  OUTBOX_DIR: join(dir, 'outbox'),
  PORT: '0',
  [secretEnv]: eventSecret,
  ...extra,
});

async function addWebhooks(block: string): Promise<void> {
  await appendFile(settingsFile(), `webhooks:\n${block}`);
}

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openLibsqlStore({ url: env().DATABASE_URL });
  await migrateLibsql(store);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function until(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('webhooks in the settings file', () => {
  it('validate names the field of each mistake, with its line', async () => {
    await addWebhooks(
      [
        '  - url: http://shop.example/rekindle-events',
        '    secret_env: SIGNING_SECRET',
        '  - url: https://shop.example/other',
        '    events: [message.sent, order.paid]',
        '    secret_env: EVENTS_SIGNING_SECRET_OTHER',
        '    secret: do-not-put-it-here',
        '',
      ].join('\n'),
    );
    const run = await runRekindle(['validate', '--dir', join(dir, 'campaigns'), '--emails', 'emails']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    const at = (line: number) => `${settingsFile()}:${line}:`;
    const base = (await readFile(settingsFile(), 'utf8')).split('\n').indexOf('webhooks:') + 1;
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^${escapeRegExp(at(base + 1))}\\d+ webhooks\\[0\\]\\.url must be an https URL like https://shop\\.example/rekindle-events \\(http only for localhost or 127\\.0\\.0\\.1\\), got 'http://shop\\.example/rekindle-events'$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^${escapeRegExp(at(base + 2))}\\d+ webhooks\\[0\\]\\.secret_env must be an environment variable name`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^${escapeRegExp(at(base + 4))}\\d+ webhooks\\[1\\]\\.events\\[1\\] must be one of message\\.sent,`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^${escapeRegExp(at(base + 6))}\\d+ webhooks\\[1\\]\\.secret is not a known field`),
        ),
      ]),
    );
    expect(lines.at(-1)).toMatch(/^4 errors; /);
  });

  it('serve warns once about a missing secret and delivers nothing to that endpoint', async () => {
    await addWebhooks(`  - url: ${shop.url}\n    secret_env: EVENTS_SIGNING_SECRET_MISSING\n`);
    const logged: string[] = [];
    server = await startNodeServer(parseNodeEnv(env()), {
      log: (line) => logged.push(line),
      schedule: false,
      deliver: true,
    });
    await server.reloadCampaigns();
    const warning = `webhooks: events for ${shop.url} wait and are not delivered: EVENTS_SIGNING_SECRET_MISSING (its secret_env) is not set`;
    expect(logged.filter((line) => line === warning)).toHaveLength(1);
    expect(logged.filter((line) => line.startsWith('webhooks:'))).toEqual([warning]);
  });

  it('serve delivers an unsubscribe made over HTTP, signed, and stops when the endpoint leaves the settings', async () => {
    await addWebhooks(
      `  - url: ${shop.url}\n    events: [customer.unsubscribed]\n    secret_env: ${secretEnv}\n`,
    );
    const config = parseNodeEnv(
      env({ SIGNING_SECRET: signingSecret, PUBLIC_BASE_URL: 'http://127.0.0.1:1' }),
    );
    const logged: string[] = [];
    server = await startNodeServer(config, {
      log: (line) => logged.push(line),
      schedule: false,
      deliver: true,
    });
    const messageId = await withStore(async (store) => {
      const mail = await sendCouponMail(store, settingsWithWebhooks([{ url: shop.url }]), Date.now());
      return mail.messageId;
    });
    const signer = await createTokenSigner(signingSecret);
    const unsubscribePath = (await paths(signer, messageId)).unsubscribe;
    const answer = await fetch(`http://127.0.0.1:${server.port}${unsubscribePath}`, { method: 'POST' });
    expect(answer.status).toBeLessThan(400);

    // The loop looks again every few seconds, and logs once the outcome is recorded.
    const recorded = (line: string) => /^webhooks: claimed 1, delivered 1,/.test(line);
    await until(() => logged.some(recorded), 15_000);
    expect(shop.received.map((e) => [e.body.type, e.body.data.message_id])).toEqual([
      ['customer.unsubscribed', messageId],
    ]);
    expect(signatureValid(shop.received[0]!, eventSecret)).toBe(true);

    // SIGHUP with the endpoint gone: the subscriptions follow the settings.
    const text = await readFile(settingsFile(), 'utf8');
    await writeFile(settingsFile(), text.slice(0, text.lastIndexOf('\nwebhooks:') + 1));
    expect((await server.reloadCampaigns()).status).toBe('loaded');
    const left = await withStore((store) =>
      store.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM outgoing_event_subscriptions`),
    );
    expect(left).toEqual([{ n: 0 }]);
  }, 30_000);

  it('webhooks deliver does one pass and list shows each event with its state', async () => {
    await addWebhooks(`  - url: ${shop.url}\n    secret_env: ${secretEnv}\n`);
    // The first pass takes up the endpoint; facts from then on are reported.
    const first = await runCliInProcess(['webhooks', 'deliver', '--json'], env());
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ endpoints: [shop.url], claimed: 0, delivered: 0 });
    const now = Date.now();
    const messageId = await withStore(async (store) => {
      const settings = settingsWithWebhooks([{ url: shop.url }]);
      const mail = await sendCouponMail(store, settings, now);
      await unsubscribeAt(store, mail.messageId, now + 1);
      return mail.messageId;
    });

    const waiting = await runCliInProcess(['webhooks', 'list', '--json'], env());
    expect(JSON.parse(waiting.stdout).map((r: { state: string }) => r.state)).toEqual(['pending', 'pending']);

    // Without its secret, nothing goes, and the reason is printed.
    const unset = await runCliInProcess(['webhooks', 'deliver'], env({ [secretEnv]: undefined }));
    expect(unset.code).toBe(0);
    expect(unset.stderr).toContain(`${secretEnv} (its secret_env) is not set`);
    expect(shop.received).toHaveLength(0);

    const run = await runCliInProcess(['webhooks', 'deliver', '--json'], env());
    expect(JSON.parse(run.stdout)).toMatchObject({ claimed: 2, delivered: 2, retrying: 0, failed: 0 });
    expect(shop.received.map((e) => e.body.id).sort()).toEqual(
      [`customer.unsubscribed:1`, `message.sent:${messageId}`].sort(),
    );

    const listed = await runCliInProcess(['webhooks', 'list', '--state', 'delivered', '--json'], env());
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        id: 'customer.unsubscribed:1',
        endpoint: shop.url,
        state: 'delivered',
        attempts: 1,
      }),
      expect.objectContaining({ id: `message.sent:${messageId}`, state: 'delivered', attempts: 1 }),
    ]);
    const table = await runCliInProcess(['webhooks', 'list'], env());
    expect(table.stdout.split('\n')[0]).toMatch(
      /^id +endpoint +state +attempts +created +next_attempt +last_error$/,
    );

    const bad = await runCliInProcess(['webhooks', 'list', '--state', 'sent'], env());
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "rekindle: --state must be one of pending, delivered, failed, got 'sent'\n",
    ]);
    const none = await runCliInProcess(['webhooks'], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^rekindle: name deliver or list; usage: rekindle webhooks/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
