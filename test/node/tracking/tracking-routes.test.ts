import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashEmail } from '../../../src/core/email-hash.ts';
import { createTokenSigner, trackingPaths } from '../../../src/core/tracking/tokens.ts';
import { createApp } from '../../../src/http/create-app.ts';
import { openTempStore, snapshot, type TempStore } from '../support/temp-store.ts';
import {
  customerRow,
  events,
  messageStatus,
  paths,
  seedCustomer,
  seedMessage,
  suppressionHashes,
  type TrackingApp,
  trackingApp,
} from '../support/tracking-fixtures.ts';

const t0 = Date.parse('2026-11-01T12:00:00Z');
const hour = 3_600_000;
const browser = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const links = ['https://shop.example/p/1?utm_source=rekindle', 'https://shop.example/cart'];

let temp: TempStore;
let t: TrackingApp;

beforeEach(async () => {
  temp = await openTempStore();
  t = await trackingApp(temp.store, t0 + hour);
  await seedCustomer(temp.store, 'c1', t0);
  await seedMessage(temp.store, { id: 'm1', customerId: 'c1', email: 'c1@example.com', links, at: t0 });
});
afterEach(() => temp.cleanup());

const get = (path: string, headers: Record<string, string> = { 'user-agent': browser }) =>
  t.app.request(path, { headers });
const post = (path: string, body = 'List-Unsubscribe=One-Click') =>
  t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': browser },
    body,
  });

describe('open pixel', () => {
  it('answers a 1x1 GIF that is never cached and records an open', async () => {
    const { open } = await paths(t.signer, 'm1');
    const res = await get(open, { 'user-agent': browser, 'cf-connecting-ip': '203.0.113.9' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('cache-control')).toBe('no-store, private');
    const body = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(body.slice(0, 6))).toBe('GIF89a');
    expect([body[6], body[8]]).toEqual([1, 1]);
    expect(await events(temp.store)).toMatchObject([
      { message_id: 'm1', kind: 'open', at: t0 + hour, is_proxy: 0, user_agent: browser, ip: '203.0.113.9' },
    ]);
  });

  it('flags opens by privacy proxies and opens right after sending', async () => {
    const { open } = await paths(t.signer, 'm1');
    await get(open, { 'user-agent': 'Mozilla/5.0' });
    await get(open, { 'user-agent': 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)' });
    t.clock.now = t0 + 3_000;
    await get(open);
    expect((await events(temp.store)).map((e) => e.is_proxy)).toEqual([1, 1, 1]);
  });

  it('answers 404 and records nothing for a token that is not right', async () => {
    const { open, click, unsubscribe } = await paths(t.signer, 'm1');
    const other = await createTokenSigner('another-secret-0123456789');
    const foreign = trackingPaths.open(await other.sign({ purpose: 'open', messageId: 'm1' }));
    const unknown = trackingPaths.open(await t.signer.sign({ purpose: 'open', messageId: 'nope' }));
    const before = await snapshot(temp.store);
    for (const path of [
      open.replace(/.\.gif$/, (m) => `${m[0] === 'A' ? 'B' : 'A'}.gif`),
      open.replace('.gif', ''),
      open.replace('/t/o/', '/t/o/x'),
      `/t/o/${(await click(0)).slice('/t/c/'.length)}.gif`,
      `/t/o/${unsubscribe.slice('/u/'.length)}.gif`,
      foreign,
      unknown,
      '/t/o/.gif',
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('answers 404 when the app has no tracking configured', async () => {
    const bare = createApp({ store: temp.store, now: () => t0 });
    const { open } = await paths(t.signer, 'm1');
    expect((await bare.request(open)).status).toBe(404);
    expect(await events(temp.store)).toEqual([]);
  });
});

describe('click redirect', () => {
  it('redirects to the link the email held and records the click with its index', async () => {
    const { click } = await paths(t.signer, 'm1');
    const res = await get(await click(1));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(links[1]);
    expect(res.headers.get('cache-control')).toBe('no-store, private');
    expect(await events(temp.store)).toMatchObject([{ message_id: 'm1', kind: 'click', link_index: 1 }]);
  });

  it('redirects a HEAD request without counting it', async () => {
    const { click, open } = await paths(t.signer, 'm1');
    const res = await t.app.request(await click(0), { method: 'HEAD' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(links[0]);
    expect((await t.app.request(open, { method: 'HEAD' })).status).toBe(200);
    expect(await events(temp.store)).toEqual([]);
  });

  it('records a replayed click again, as a second click', async () => {
    const { click } = await paths(t.signer, 'm1');
    const path = await click(0);
    expect((await get(path)).headers.get('location')).toBe(links[0]);
    expect((await get(path)).headers.get('location')).toBe(links[0]);
    expect((await events(temp.store)).map((e) => [e.kind, e.link_index])).toEqual([
      ['click', 0],
      ['click', 0],
    ]);
  });

  it('never redirects to a stored link that is not a safe link (a row from an older version)', async () => {
    const stored = [
      'javascript:alert(document.cookie)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '//evil.example/',
      'https://shop.example/\r\nSet-Cookie: a=b',
      'http://evil.example\\@shop.example/',
      'https:evil.example',
      'https://shop.example/ok',
    ];
    await temp.store.db.run(sql`update messages set links = ${JSON.stringify(stored)} where id = 'm1'`);
    const { click } = await paths(t.signer, 'm1');
    for (let i = 0; i < stored.length - 1; i++) {
      const res = await get(await click(i));
      expect(res.status, stored[i]).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(await events(temp.store)).toEqual([]);
    expect((await get(await click(stored.length - 1))).headers.get('location')).toBe(
      'https://shop.example/ok',
    );
  });

  it('answers 404 for a link index the email did not hold, and records nothing', async () => {
    const { click, open } = await paths(t.signer, 'm1');
    await seedMessage(temp.store, { id: 'm-nolinks', customerId: 'c1', email: 'c1@example.com', at: t0 });
    const noLinks = await paths(t.signer, 'm-nolinks');
    const before = await snapshot(temp.store);
    const tampered = (await click(0)).replace(/^\/t\/c\/[^.]+/, (p) =>
      p.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    );
    for (const path of [
      await click(2),
      await click(999_999),
      await noLinks.click(0),
      tampered,
      open.replace('/t/o/', '/t/c/').replace('.gif', ''),
      '/t/c/not-a-token',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
    expect(await snapshot(temp.store)).toEqual(before);
  });
});

describe('unsubscribe', () => {
  it('shows a confirmation page on GET that does not unsubscribe', async () => {
    const { unsubscribe } = await paths(t.signer, 'm1');
    const before = await snapshot(temp.store);
    const res = await get(unsubscribe);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store, private');
    const page = await res.text();
    expect(page).toContain('<form method="post">');
    expect(page).toContain('name="viewport"');
    expect(page).toContain('<button type="submit">Unsubscribe</button>');
    expect(page).not.toContain('<script');
    expect(page).not.toContain('c1@example.com');
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('unsubscribes on POST from every campaign at once and cancels pending mail', async () => {
    await seedMessage(temp.store, {
      id: 'pending-other-campaign',
      campaignId: 'cart',
      customerId: 'c1',
      email: 'c1@example.com',
      status: 'scheduled',
      at: t0 + 2 * hour,
    });
    await seedMessage(temp.store, {
      id: 'held',
      customerId: 'c1',
      email: 'c1@example.com',
      status: 'held_out',
      at: t0,
    });
    const { unsubscribe } = await paths(t.signer, 'm1');
    const res = await post(unsubscribe);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');

    expect(await customerRow(temp.store, 'c1')).toMatchObject({
      suppressed_at: t0 + hour,
      suppression_reason: 'unsubscribed',
      marketing_consent: 0,
      consent_updated_at: t0 + hour,
    });
    expect(await suppressionHashes(temp.store)).toEqual([await hashEmail('c1@example.com')]);
    expect(await messageStatus(temp.store, 'pending-other-campaign')).toEqual({
      status: 'cancelled',
      cancel_reason: 'unsubscribed',
    });
    expect(await messageStatus(temp.store, 'm1')).toEqual({ status: 'sent', cancel_reason: null });
    expect(await messageStatus(temp.store, 'held')).toEqual({ status: 'held_out', cancel_reason: null });
    expect(await events(temp.store)).toMatchObject([
      { message_id: 'm1', kind: 'unsubscribe', user_agent: browser },
    ]);
  });

  it('is harmless to replay: one event, the first time kept', async () => {
    const { unsubscribe } = await paths(t.signer, 'm1');
    await post(unsubscribe);
    const after = await snapshot(temp.store);
    t.clock.now += hour;
    const again = await post(unsubscribe, '');
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already unsubscribed');
    expect(await snapshot(temp.store)).toEqual(after);
    // The page now says so instead of offering the button.
    expect(await (await get(unsubscribe)).text()).toContain('already unsubscribed');
  });

  it('answers 404 to a forged or altered token and records nothing', async () => {
    const { unsubscribe, open } = await paths(t.signer, 'm1');
    const other = await createTokenSigner('another-secret-0123456789');
    const foreign = trackingPaths.unsubscribe(await other.sign({ purpose: 'unsubscribe', messageId: 'm1' }));
    const before = await snapshot(temp.store);
    for (const path of [
      unsubscribe.slice(0, -1) + (unsubscribe.endsWith('A') ? 'B' : 'A'),
      foreign,
      open.replace('/t/o/', '/u/').replace('.gif', ''),
      trackingPaths.unsubscribe(await t.signer.sign({ purpose: 'unsubscribe', messageId: 'missing' })),
    ]) {
      expect((await post(path)).status, path).toBe(404);
      expect((await get(path)).status, path).toBe(404);
    }
    expect(await snapshot(temp.store)).toEqual(before);
  });

  it('suppresses a guest address (no customer) by its hash', async () => {
    await seedMessage(temp.store, {
      id: 'guest',
      customerId: null,
      email: 'guest@example.com',
      links,
      at: t0,
    });
    await seedMessage(temp.store, {
      id: 'guest-next',
      customerId: null,
      email: 'guest@example.com',
      status: 'scheduled',
      at: t0 + 2 * hour,
    });
    const { unsubscribe } = await paths(t.signer, 'guest');
    expect((await post(unsubscribe)).status).toBe(200);
    expect(await suppressionHashes(temp.store)).toEqual([await hashEmail('guest@example.com')]);
    expect(await messageStatus(temp.store, 'guest-next')).toEqual({
      status: 'cancelled',
      cancel_reason: 'unsubscribed',
    });
    expect((await customerRow(temp.store, 'c1'))?.suppressed_at).toBeNull();
  });
});
