// The pure MIME composer read back by mailparser (both parts, headers, UTF-8),
// the .eml folder transport, the HTTP transport against a local endpoint, and
// picking a transport from config.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmlFolderTransport } from '../../../src/adapters/mailer/eml-folder.ts';
import { createHttpTransport } from '../../../src/adapters/mailer/http.ts';
import { createNodeTransport } from '../../../src/adapters/mailer/node-transport.ts';
import { ConfigError } from '../../../src/config/env.ts';
import { buildDeliveryHeaders } from '../../../src/core/delivery/headers.ts';
import type { OutgoingMail } from '../../../src/core/delivery/transport.ts';
import { composeMime } from '../../../src/core/mime/compose.ts';
import { messages } from '../../../src/db/schema/index.ts';
import { drainOutbox } from '../../../src/services/delivery/drain-outbox.ts';
import { deliveryOptions, seedCustomers, seedMessages, t0 } from '../support/delivery-fixtures.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

async function compose(text: string, html: string, subject = 'Hello') {
  const headers = await buildDeliveryHeaders({
    dedupeKey: 'winback:0:c1:lp1',
    campaignId: 'winback',
    step: 0,
    fromEmail: 'hello@shop.example',
    unsubscribeUrl: 'https://mail.shop.example/u/token',
    unsubscribeMailto: 'hello@shop.example',
  });
  const raw = composeMime({
    from: { name: 'Zoë\'s "Shop"', address: 'hello@shop.example' },
    to: { address: 'ada@example.com' },
    replyTo: { address: 'care@shop.example' },
    subject,
    text,
    html,
    date: t0,
    headers: headers.headers,
    boundarySeed: headers.messageId,
  });
  return { raw, messageId: headers.messageId };
}

describe('composed MIME', () => {
  it('parses back with mailparser: both parts, the headers, UTF-8 everywhere', async () => {
    const text = `Hi Zoë,\r\n.a line starting with a dot\nprice = £12.50   \n${'long '.repeat(40)}\n\nend 🎉`;
    const html = `<html><body><p style="color:red">Grüße ${'x'.repeat(300)}</p>\n<a href="https://shop.example/?a=1&amp;b=2">Shop</a></body></html>`;
    const subject =
      'Zoë, 15% off — your basket misses you 🎉 and this subject is long enough to fold twice over';
    const { raw, messageId } = await compose(text, html, subject);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(raw).not.toMatch(/[^\x20-\x7E\r\n\t]/);

    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.text).toBe(text.replace(/\r\n/g, '\n'));
    expect(parsed.html).toBe(html);
    expect(parsed.from?.value).toEqual([{ name: 'Zoë\'s "Shop"', address: 'hello@shop.example' }]);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]?.address).toBe('ada@example.com');
    expect(parsed.replyTo?.value[0]?.address).toBe('care@shop.example');
    expect(parsed.messageId).toBe(`<${messageId}>`);
    expect(parsed.date?.getTime()).toBe(t0);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    const list = parsed.headers.get('list') as Record<string, { url?: string; mail?: string; id?: string }>;
    expect(list.unsubscribe).toMatchObject({
      url: 'https://mail.shop.example/u/token',
      mail: 'hello@shop.example?subject=unsubscribe',
    });
    expect(parsed.headerLines.find((h) => h.key === 'list-id')?.line).toBe('List-ID: <winback.shop.example>');
    expect(parsed.headerLines.map((h) => h.key)).toContain('list-unsubscribe-post');
  });

  it('survives any text: random strings round-trip through mailparser', async () => {
    const alphabet = ['a', ' ', '=', '.', '\n', '\t', 'é', '€', '🎉', '--', '=_rk_', '\r\n', 'x'.repeat(90)];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 25; round++) {
      const pieces = Array.from({ length: 60 }, () => alphabet[Math.floor(random() * alphabet.length)]!);
      const body = `${pieces.join('')}end`;
      const { raw } = await compose(body, `<p>${body}</p>`);
      const parsed = await simpleParser(raw);
      expect(parsed.text).toBe(body.replace(/\r\n/g, '\n'));
      expect(parsed.html).toBe(`<p>${body}</p>`.replace(/\r\n/g, '\n'));
    }
  });
});

describe('.eml folder transport', () => {
  it('writes one parseable .eml per message, named by the outbox id', async () => {
    const dir = join(temp.dir, 'outbox');
    const ids = await seedMessages(temp.store, await seedCustomers(temp.store, 3));
    const counts = await drainOutbox(await deliveryOptions(temp.store, createEmlFolderTransport({ dir })));
    expect(counts.sent).toBe(3);
    expect((await readdir(dir)).sort()).toEqual(ids.map((id) => `${id}.eml`));
    const parsed = await simpleParser(await readFile(join(dir, `${ids[0]}.eml`)));
    expect(parsed.subject).toBe('Ada, we miss you');
    expect(parsed.text).toContain('Hello Ada!');
    expect(parsed.html).toContain('<p>Hello Ada!</p>');
    expect(parsed.headerLines.map((h) => h.key)).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'message-id', 'list-id']),
    );
    const rows = await temp.store.db.select().from(messages);
    expect(rows.map((r) => r.providerMessageId).sort()).toEqual(ids.map((id) => `${id}.eml`));
  });

  it('calls a folder it cannot write to unavailable, so the message spends no attempt', async () => {
    const notADir = join(temp.dir, 'taken');
    await writeFile(notADir, 'a file where the folder should be');
    const outcome = await createEmlFolderTransport({ dir: join(notADir, 'outbox') }).send({
      id: 'm1',
      messageId: 'rk.1@shop.example',
      envelope: { from: 'hello@shop.example', to: 'ada@example.com' },
      raw: 'Subject: hi\r\n\r\nhello\r\n',
    });
    expect(outcome).toMatchObject({ kind: 'transport_unavailable' });
  });

  it('is the default when SMTP_URL is unset; DKIM settings must come together', () => {
    const base = {
      SMTP_URL: undefined,
      OUTBOX_DIR: join(temp.dir, 'out'),
      SMTP_POOL_SIZE: 5,
      DKIM_PRIVATE_KEY: undefined,
      DKIM_SELECTOR: undefined,
      DKIM_DOMAIN: undefined,
    };
    expect(createNodeTransport(base).name).toBe('eml');
    expect(() => createNodeTransport({ ...base, DKIM_SELECTOR: 'rk1' })).toThrow(ConfigError);
    expect(() =>
      createNodeTransport({
        ...base,
        DKIM_SELECTOR: 'rk1',
        DKIM_DOMAIN: 'shop.example',
        DKIM_PRIVATE_KEY: 'nope',
      }),
    ).toThrow(/not a PEM private key/);
  });
});

describe('HTTP transport', () => {
  const mail: OutgoingMail = {
    id: 'm1',
    messageId: 'rk.1@shop.example',
    envelope: { from: 'hello@shop.example', to: 'ada@example.com' },
    raw: 'Subject: hi\r\n\r\nhello\r\n',
  };

  it('posts the MIME with the Message-ID as idempotency key and maps replies to outcomes', async () => {
    const seen: { headers: Record<string, unknown>; body: string }[] = [];
    const replies = [
      { status: 202, body: '{"id":"prov-1"}' },
      { status: 429, body: 'slow down' },
      { status: 422, body: 'bad address' },
      { status: 503, body: 'maintenance' },
      { status: 401, body: 'bad token' },
      { status: 500, body: 'could not render this one' },
    ];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        const reply = replies[seen.length - 1]!;
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const transport = createHttpTransport({ url: `http://127.0.0.1:${port}/send`, token: 'tok' });
      expect(await transport.send(mail)).toEqual({ kind: 'delivered', providerMessageId: 'prov-1' });
      // Like SMTP: a rate limit, an outage or our credentials refused are the
      // transport's, no attempt spent; a 500 may be this message's.
      expect(await transport.send(mail)).toMatchObject({ kind: 'transport_unavailable', code: 429 });
      expect(await transport.send(mail)).toMatchObject({ kind: 'permanent', code: 422, hardBounce: false });
      expect(await transport.send(mail)).toMatchObject({ kind: 'transport_unavailable', code: 503 });
      expect(await transport.send(mail)).toMatchObject({ kind: 'transport_unavailable', code: 401 });
      expect(await transport.send(mail)).toMatchObject({ kind: 'temporary', code: 500 });
      expect(seen[0]).toMatchObject({
        body: mail.raw,
        headers: {
          'content-type': 'message/rfc822',
          authorization: 'Bearer tok',
          'idempotency-key': '<rk.1@shop.example>',
        },
      });
    } finally {
      server.close();
    }
  });

  it('calls a refused connection transport_unavailable and a timeout ambiguous', async () => {
    const refused = createHttpTransport({ url: 'http://127.0.0.1:9/send' });
    expect((await refused.send(mail)).kind).toBe('transport_unavailable');
    const slow = createHttpTransport({
      url: 'http://x.invalid/send',
      timeoutMs: 5,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    });
    expect(await slow.send(mail)).toMatchObject({ kind: 'ambiguous' });
  });
});
