// The tracking routes as `rekindle serve` wires them: the signer from
// SIGNING_SECRET (or the local-only key on a local base URL, refused on a
// public one) and the client address from the socket or X-Forwarded-For.
import { describe, expect, it } from 'vitest';
import { ConfigError, localOnlySigningSecret, resolveSigningSecret } from '../../../src/config/env.ts';
import { createTokenSigner, trackingPaths } from '../../../src/core/tracking/tokens.ts';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import { serveFolder } from '../support/serve-folder.ts';
import { events, seedMessage, signingSecret } from '../support/tracking-fixtures.ts';

const folder = serveFolder('rekindle-tracking-serve-');
const config = folder.config;

describe('resolveSigningSecret', () => {
  it('uses the secret when set, the local-only key on a local base URL, and refuses a public one without', () => {
    const secret = 'a-real-secret-of-some-length';
    expect(resolveSigningSecret({ SIGNING_SECRET: secret, PUBLIC_BASE_URL: 'https://shop.example' })).toEqual(
      {
        secret,
        generated: false,
      },
    );
    for (const local of [
      'http://localhost:8787',
      'http://127.0.0.1:3000',
      'http://[::1]:8787',
      'http://x.localhost',
    ]) {
      expect(resolveSigningSecret({ SIGNING_SECRET: undefined, PUBLIC_BASE_URL: local })).toEqual({
        secret: localOnlySigningSecret,
        generated: true,
      });
    }
    expect(() =>
      resolveSigningSecret({ SIGNING_SECRET: undefined, PUBLIC_BASE_URL: 'https://shop.example' }),
    ).toThrow(ConfigError);
  });
});

describe('rekindle serve', () => {
  it('refuses to start on a public base URL without a signing secret', async () => {
    await expect(folder.start(config({ PUBLIC_BASE_URL: 'https://mail.shop.example' }))).rejects.toThrow(
      /SIGNING_SECRET/,
    );
  });

  it('serves the open pixel over HTTP and records the client address', async () => {
    const settings = config({ SIGNING_SECRET: signingSecret, PUBLIC_BASE_URL: 'https://mail.shop.example' });
    const seeded = await openLibsqlStore({ url: settings.DATABASE_URL });
    await migrateLibsql(seeded);
    await seedMessage(seeded, {
      id: 'm1',
      customerId: null,
      email: 'x@example.com',
      at: Date.now() - 3_600_000,
    });
    await seeded.close();

    const server = await folder.start(settings);
    const signer = await createTokenSigner(signingSecret);
    const url = `http://127.0.0.1:${server.port}${trackingPaths.open(await signer.sign({ purpose: 'open', messageId: 'm1' }))}`;
    const direct = await fetch(url, { headers: { 'user-agent': 'Thunderbird/128.0' } });
    expect(direct.status).toBe(200);
    const proxied = await fetch(url, {
      headers: { 'user-agent': 'Thunderbird/128.0', 'x-forwarded-for': '17.5.6.7, 10.0.0.1' },
    });
    expect(proxied.status).toBe(200);
    const forged = await fetch(url.replace('/t/o/', '/t/o/x'));
    expect(forged.status).toBe(404);

    // The server queues opens and writes them in batches; closing writes the queue.
    await server.close();
    const store = await openLibsqlStore({ url: settings.DATABASE_URL });
    try {
      const rows = await events(store, 'm1');
      expect(rows.map((e) => [e.ip?.replace(/^::ffff:/, ''), e.is_proxy])).toEqual([
        ['127.0.0.1', 0],
        ['17.5.6.7', 1],
      ]);
    } finally {
      await store.close();
    }
  });
});
