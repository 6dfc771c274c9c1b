// Compile once, fill many: the shipped templates give the same HTML as
// compiling each filled template with MJML, escape what customers type, carry
// the footer, keep Liquid through MJML; and the view builder reads a real
// libSQL file.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMjmlRenderer } from '../../../src/adapters/templates/mjml-renderer.ts';
import { renderNaively } from '../../../src/adapters/templates/naive-render.ts';
import { resolvePartials } from '../../../src/adapters/templates/partials.ts';
import { folderReader } from '../../../src/adapters/templates/template-files.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import type { EmailView } from '../../../src/core/rendering/contract.ts';
import { sampleView } from '../../../src/core/rendering/sample-view.ts';
import { findRecommendations } from '../../../src/db/repositories/email-views.ts';
import * as schema from '../../../src/db/schema/index.ts';
import { createViewBuilder } from '../../../src/services/render/build-view.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

const script = '<script>alert(1)</script>';
let set: CampaignSet;

beforeAll(async () => {
  const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  set = loaded.set;
});

/** Recipients that exercise every branch of the shipped templates. */
function variants(base: EmailView): [string, EmailView][] {
  const noImages = (p: EmailView['recommended'][number]) => ({ ...p, image_url: null, url: null });
  return [
    ['sample', base],
    [
      'script name, no logo',
      { ...base, customer: { ...base.customer, first_name: script }, shop: { ...base.shop, logo_url: null } },
    ],
    [
      'no name, no offer, no recommendations',
      { ...base, customer: { ...base.customer, first_name: null }, offer: null, recommended: [] },
    ],
    [
      'quotes and ampersands, one bare cart item, no product image',
      {
        ...base,
        customer: { ...base.customer, first_name: 'Zoë & "Łukasz" <b>' },
        cart: base.cart && {
          ...base.cart,
          items: base.cart.items.slice(0, 1).map((i) => ({ ...i, ...noImages(i) })),
        },
        product: base.product && { ...base.product, image_url: null },
        recommended: base.recommended.slice(0, 2).map(noImages),
      },
    ],
  ];
}

/** Every step of every shipped campaign rendered for its sample view. */
async function shippedSamples() {
  const renderer = createMjmlRenderer({ emailsDir: 'emails' });
  const samples = [];
  for (const campaign of set.campaigns) {
    for (const step of campaign.steps) {
      const view = sampleView(campaign, set.settings, {
        step: step.index,
        unsubscribeUrl: 'https://m.example/u/tok',
      });
      const email = await renderer.render(step.email.template, step.email.subject, view);
      samples.push({ template: step.email.template, view, email });
    }
  }
  return samples;
}

describe('compile once, fill many', () => {
  it('gives the same HTML, text and subject as compiling each filled template with MJML', async () => {
    const renderer = createMjmlRenderer({ emailsDir: 'emails' });
    let compared = 0;
    for (const campaign of set.campaigns) {
      for (const step of campaign.steps) {
        const resolved = await resolvePartials(step.email.template, folderReader('emails'));
        if (!resolved.ok) throw new Error(step.email.template);
        const base = sampleView(campaign, set.settings, { step: step.index, now: Date.UTC(2026, 10, 1) });
        for (const [name, view] of variants(base)) {
          const fast = await renderer.render(step.email.template, step.email.subject, view);
          const naive = await renderNaively(resolved.source.text, step.email.subject, view);
          expect(fast.html, `${step.email.template} / ${name}`).toBe(naive.html);
          expect(fast.text, `${step.email.template} / ${name}`).toBe(naive.text);
          expect(fast.subject).toBe(naive.subject);
          compared++;
        }
      }
    }
    expect(compared).toBe(10 * 4);
    // Each template compiled by MJML exactly once, for four emails each.
    expect(renderer.compilations).toBe(10);
  });

  it('escapes a scripted name in the HTML and keeps it inert text in the subject', async () => {
    const renderer = createMjmlRenderer({ emailsDir: 'emails' });
    for (const campaign of set.campaigns) {
      const step = campaign.steps[0]!;
      const view = variants(sampleView(campaign, set.settings))[1]![1];
      const subject = `{{ customer.first_name }}: ${step.email.subject}`;
      const email = await renderer.render(step.email.template, subject, view);
      expect(email.html).not.toContain(script);
      expect(email.subject.startsWith(`${script}:`)).toBe(true);
      expect(email.subject).not.toMatch(/[\r\n]/);
      if (email.html.includes('alert(1)'))
        expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('puts the footer with the unsubscribe link and the postal address in every shipped email', async () => {
    for (const { email } of await shippedSamples()) {
      expect(email.html).toContain('href="https://m.example/u/tok"');
      expect(email.html).toContain(set.settings.postalAddress);
      expect(email.text).toContain('Unsubscribe (https://m.example/u/tok)');
      expect(email.text).toContain(set.settings.postalAddress);
      expect(email.html).toContain('<meta name="color-scheme" content="light dark"');
      expect(email.text).not.toMatch(/[{}]{2}|{%|@media/);
      expect(email.html).not.toMatch(/<img(?![^>]*\balt=)[^>]*>/);
    }
  });
});

describe('what a shipped email loads', () => {
  it('links or loads no URL its view did not give it: no web font from a third-party host', async () => {
    for (const { template, view, email } of await shippedSamples()) {
      const given = JSON.stringify(view);
      // xmlns values name namespaces; nothing fetches them.
      const html = email.html.replace(/\sxmlns(?::\w+)?="[^"]*"/g, '');
      const foreign = [...html.matchAll(/https?:\/\/[^\s"'()<>]+/g)]
        .map((m) => m[0].replace(/&amp;/g, '&'))
        .filter((url) => !given.includes(url));
      expect({ template, foreign }).toEqual({ template, foreign: [] });
      expect(email.html).not.toMatch(/<link\b|@import/i);
    }
  });
});

describe('Liquid through MJML', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rekindle-templates-'));
    await mkdir(join(dir, 'partials'));
    await writeFile(
      join(dir, 'ok.mjml'),
      `<mjml><mj-head><mj-attributes><mj-button background-color="{{ shop.color | default: '#123456' }}" /></mj-attributes></mj-head>
<mj-body>
  <mj-raw>{% if offer %}</mj-raw>
  <mj-section><mj-column><mj-text>Code {{ offer.code }}</mj-text></mj-column></mj-section>
  <mj-raw>{% endif %}</mj-raw>
  <mj-section><mj-column>
    <mj-image src="{{ product.image_url }}" alt="{{ product.title }}" href="{{ product.url }}" />
    <mj-button href="{{ links.shop }}">Go</mj-button>
    <mj-table>{% for item in cart.items %}<tr><td>{{ item.title }}</td></tr>{% endfor %}</mj-table>
  </mj-column></mj-section>
</mj-body></mjml>`,
    );
    await writeFile(
      join(dir, 'dropped.mjml'),
      `<mjml><mj-body>
  {% if offer %}
  <mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>
  {% endif %}
</mj-body></mjml>`,
    );
    await writeFile(
      join(dir, 'bad-liquid.mjml'),
      `<mjml><mj-body>\n{% render 'broken' %}\n</mj-body></mjml>`,
    );
    await writeFile(
      join(dir, 'partials', 'broken.mjml'),
      `<mj-section>\n<mj-column><mj-text>{{ x | nope }}</mj-text></mj-column>\n</mj-section>`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps Liquid in attributes, head attributes, mj-raw blocks and mj-table loops', async () => {
    const renderer = createMjmlRenderer({ emailsDir: dir });
    const outcome = await renderer.compile('ok.mjml');
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const html = outcome.template.html;
    for (const liquid of [
      '{% if offer %}',
      '{{ offer.code }}',
      '{{ product.image_url }}',
      '{{ product.title }}',
      '{{ links.shop }}',
      "{{ shop.color | default: '#123456' }}",
      '{% for item in cart.items %}',
    ]) {
      expect(html).toContain(liquid);
    }
    const cart = sampleView(set.campaigns.find((c) => c.id === 'abandoned-cart')!, set.settings, { step: 1 });
    // An mj-image href that renders empty changes MJML's markup (no link), so the view has a product.
    const restock = sampleView(set.campaigns.find((c) => c.id === 'back-in-stock')!, set.settings);
    const view = { ...restock, offer: cart.offer, cart: cart.cart, shop: { ...cart.shop, color: '#abcdef' } };
    const email = await renderer.render('ok.mjml', 's', view);
    expect(email.html).toContain('Code CART-SAMPLE');
    expect(email.html).toContain('background:#abcdef');
    expect(email.html).toContain('<td>Stoneware Mug, Sage</td>');
    const naive = await renderNaively((await folderReader(dir).read('ok.mjml'))!, 's', view);
    expect(email.html).toBe(naive.html);
  });

  it('refuses a Liquid tag MJML would drop, naming file and line', async () => {
    const outcome = await createMjmlRenderer({ emailsDir: dir }).compile('dropped.mjml');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContainEqual(
      expect.objectContaining({
        file: 'dropped.mjml',
        line: 2,
        message: expect.stringMatching(/dropped the Liquid \{% if offer %\}.*mj-raw/),
      }),
    );
  });

  it('points a Liquid syntax error in a partial at the partial', async () => {
    const outcome = await createMjmlRenderer({ emailsDir: dir }).compile('bad-liquid.mjml');
    expect(outcome).toMatchObject({
      ok: false,
      problems: [
        { file: 'partials/broken.mjml', line: 2, message: expect.stringMatching(/unknown filter 'nope'/) },
      ],
    });
  });
});

describe('the view builder on a real libSQL file', () => {
  let temp: TempStore;
  const now = Date.parse('2026-11-01T12:00:00Z');
  beforeAll(async () => {
    temp = await openTempStore();
    const db = temp.store.db;
    const product = (id: string, category: string, inStock: boolean, priceMinor: number) => ({
      id,
      title: `Product ${id}`,
      url: `https://shop.example/p/${id}`,
      imageUrl: id === 'mug' ? 'javascript:alert(1)' : `https://cdn.example/${id}.jpg`,
      category,
      currency: 'GBP',
      priceMinor,
      stockQuantity: inStock ? 5 : 0,
      inStock,
      updatedAt: now,
    });
    await db.insert(schema.customers).values({
      id: 'c1',
      email: 'ada@example.com',
      firstName: '<b>Ada</b>',
      lastName: 'L',
      timezone: 'America/New_York',
      marketingConsent: true,
      createdAt: now,
      updatedAt: now,
    });
    await db
      .insert(schema.products)
      .values([
        product('mug', 'kitchen', true, 1200),
        product('bowl', 'kitchen', true, 1500),
        product('plate', 'kitchen', true, 900),
        product('jug', 'kitchen', false, 2000),
        product('cup', 'kitchen', true, 800),
        product('sock', 'clothes', true, 500),
        product('hat', 'clothes', true, 2500),
      ]);
    await db.insert(schema.orders).values({
      id: 'o1',
      customerId: 'c1',
      placedAt: now - 100 * 86_400_000,
      status: 'paid',
      currency: 'GBP',
      totalMinor: 2400,
      updatedAt: now,
    });
    await db
      .insert(schema.orderItems)
      .values([
        { orderId: 'o1', lineNo: 0, productId: 'mug', title: 'Mug', quantity: 2, unitPriceMinor: 1200 },
      ]);
    await db.insert(schema.carts).values({
      id: 'cart@1',
      customerId: 'c1',
      email: 'ada@example.com',
      status: 'open',
      currency: 'GBP',
      valueMinor: 2400,
      recoveryUrl: 'https://shop.example/cart/recover/xyz',
      lastActivityAt: now - 7_200_000,
      createdAt: now,
      updatedAt: now,
    });
    await db.insert(schema.cartItems).values([
      { cartId: 'cart@1', lineNo: 0, productId: 'bowl', title: null, quantity: 1, unitPriceMinor: 1500 },
      { cartId: 'cart@1', lineNo: 1, productId: null, title: 'Gift wrap', quantity: 3, unitPriceMinor: 300 },
    ]);
    await db.insert(schema.restocks).values({ id: 7, productId: 'hat', quantity: 3, at: now });
    await db.insert(schema.coupons).values({
      code: 'CART-7KQ9-M2XF',
      campaignId: 'abandoned-cart',
      customerId: 'c1',
      kind: 'amount_off',
      value: 500,
      currency: 'GBP',
      minSubtotalMinor: 2000,
      expiresAt: Date.parse('2026-11-04T03:00:00Z'),
      createdAt: now,
    });
  });
  afterAll(() => temp.cleanup());

  it('builds an abandoned-cart view: items, coupon in the recovery URL, recommendations', async () => {
    const builder = createViewBuilder({ store: temp.store, campaigns: set });
    const view = await builder.forMessage(
      {
        campaignId: 'abandoned-cart',
        step: 1,
        customerId: 'c1',
        email: 'ada@example.com',
        triggerKind: 'abandoned_cart',
        triggerRef: `cartcart@1@${now - 7_200_000}`,
        couponCode: 'CART-7KQ9-M2XF',
      },
      { unsubscribe: 'https://m.example/u/tok' },
    );
    expect(view.customer).toEqual({
      id: 'c1',
      first_name: '<b>Ada</b>',
      last_name: 'L',
      email: 'ada@example.com',
    });
    expect(view.campaign).toEqual({ id: 'abandoned-cart', name: 'You left something behind', step: 1 });
    // Expiry shown in the customer's zone: 03:00 UTC is still the 3rd in New York.
    expect(view.offer).toEqual({
      code: 'CART-7KQ9-M2XF',
      kind: 'amount_off',
      headline: '£5.00 off',
      min_subtotal: { display: '£20.00', minor: 2000, currency: 'GBP' },
      expires_on: '3 November 2026',
    });
    expect(view.cart?.recovery_url).toBe('https://shop.example/cart/recover/xyz?discount=CART-7KQ9-M2XF');
    expect(view.cart?.total?.display).toBe('£24.00');
    expect(view.cart?.items).toEqual([
      {
        id: 'bowl',
        title: 'Product bowl',
        url: 'https://shop.example/p/bowl',
        image_url: 'https://cdn.example/bowl.jpg',
        price: { display: '£15.00', minor: 1500, currency: 'GBP' },
        quantity: 1,
        line_total: { display: '£15.00', minor: 1500, currency: 'GBP' },
      },
      expect.objectContaining({ id: 'line1', title: 'Gift wrap', url: null, image_url: null, quantity: 3 }),
    ]);
    // Kitchen (bought), in stock, not bought, not in the cart: plate then cup; never sock or jug.
    expect(view.recommended.map((p) => p.id)).toEqual(['cup', 'plate']);
    expect(view.links).toEqual({ unsubscribe: 'https://m.example/u/tok', shop: 'https://shop.example/' });
    expect(view.product).toBeNull();

    const email = await createMjmlRenderer({ emailsDir: 'emails' }).render('cart-2.mjml', 'Hi', view);
    expect(email.html).toContain('&lt;b&gt;Ada&lt;/b&gt;');
    expect(email.html).toContain('href="https://shop.example/cart/recover/xyz?discount=CART-7KQ9-M2XF"');
    expect(email.text).toContain('Gift wrap');
  });

  it('recommends what the customer looked at first, then the categories they bought and browsed', async () => {
    const hour = 3_600_000;
    const event = (kind: string, ref: string, ago: number) => ({
      customerId: 'c1',
      kind,
      ref,
      at: now - ago,
    });
    await temp.store.db.insert(schema.browseEvents).values([
      event('product', 'hat', 2 * hour),
      event('product', 'jug', hour), // out of stock: never recommended
      event('product', 'mug', 3 * hour), // bought: never recommended
      ...[1, 2, 3, 4].map((n) => event('category', 'clothes', n * hour)),
    ]);
    try {
      // hat: viewed and in stock. Then clothes (1 view of hat + 4 category views = 5) over
      // kitchen (mug bought, 2; jug and mug viewed, 1 each = 4): sock, then bowl.
      expect((await findRecommendations(temp.store, 'c1', [])).map((p) => p.id)).toEqual([
        'hat',
        'sock',
        'bowl',
      ]);
      expect((await findRecommendations(temp.store, 'c1', ['hat'])).map((p) => p.id)).toEqual([
        'sock',
        'bowl',
        'cup',
      ]);
    } finally {
      await temp.store.db.delete(schema.browseEvents);
    }
    // Without browse history: the categories bought most, as before.
    expect((await findRecommendations(temp.store, 'c1', [])).map((p) => p.id)).toEqual([
      'bowl',
      'cup',
      'plate',
    ]);
  });

  it("builds a back-in-stock view from the restock in trigger_ref; previews use the customer's own cart", async () => {
    const builder = createViewBuilder({ store: temp.store, campaigns: set });
    const message = {
      campaignId: 'back-in-stock',
      step: 0,
      customerId: 'c1',
      email: 'ada@example.com',
      triggerKind: 'back_in_stock',
      triggerRef: 'restock7',
      couponCode: null,
    } as const;
    const view = await builder.forMessage(message, { unsubscribe: 'https://m.example/u/t2' });
    expect(view.product).toMatchObject({ id: 'hat', title: 'Product hat', price: { display: '£25.00' } });
    // c1 never joined hat's waitlist (a cart holder's message): the copy must not say they asked.
    expect(view.back_in_stock).toEqual({ asked: false });
    const renderer = createMjmlRenderer({ emailsDir: 'emails' });
    const bis = set.campaigns.find((c) => c.id === 'back-in-stock')!.steps[0]!.email;
    const holder = await renderer.render(bis.template, bis.subject, view);
    expect(holder.text).not.toContain('you asked us');
    expect(holder.text).toContain('the one in your cart sold out');
    await temp.store.db.insert(schema.waitlistEntries).values({
      id: 'w-hat',
      productId: 'hat',
      customerId: 'c1',
      email: 'ada@example.com',
      createdAt: now,
    });
    const waiting = await builder.forMessage(message, { unsubscribe: 'https://m.example/u/t2' });
    expect(waiting.back_in_stock).toEqual({ asked: true });
    expect((await renderer.render(bis.template, bis.subject, waiting)).text).toContain(
      'you asked us to tell you when it returned',
    );
    await temp.store.db.delete(schema.waitlistEntries);
    expect(view.offer).toBeNull();
    expect(view.cart).toBeNull();
    expect(view.recommended.map((p) => p.id)).toEqual(['bowl', 'cup', 'plate']);
    const mug = await builder.forPreview({
      campaign: set.campaigns.find((c) => c.id === 'abandoned-cart')!,
      step: 0,
      customerId: 'c1',
      now,
      unsubscribeUrl: '#',
    });
    expect(mug?.cart?.items[0]?.id).toBe('bowl');
    expect(mug?.offer).toBeNull();
    expect(
      await builder.forPreview({
        campaign: set.campaigns[0]!,
        step: 0,
        customerId: 'nobody',
        now,
        unsubscribeUrl: '#',
      }),
    ).toBeNull();
  });
});
