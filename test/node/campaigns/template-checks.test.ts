// rekindle validate's template checks, through the same loader and check list
// the command uses: missing footer, unsubscribe link or postal address fail;
// images without alt and emails over Gmail's clipping size warn; MJML and
// Liquid errors name the file and line.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateChecks } from '../../../src/cli/validate.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';

let dir: string;
const footer = `<mj-section><mj-column><mj-text><a href="{{ links.unsubscribe }}">Unsubscribe</a> {{ shop.postal_address }}</mj-text></mj-column></mj-section>`;
const page = (body: string) => `<mjml>\n<mj-body>\n${body}\n</mj-body>\n</mjml>\n`;
const text = (words: string) => `<mj-section><mj-column><mj-text>${words}</mj-text></mj-column></mj-section>`;

const templates: Record<string, string> = {
  'good.mjml': page(`${text('Hi {{ customer.first_name }}')}\n{% render 'footer' %}`),
  'no-footer.mjml': page(text('Hi')),
  'bare-footer.mjml': page(`${text('Hi')}\n{% render 'bare' %}`),
  'no-alt.mjml': page(`{% render 'logo' %}\n${text('Hi')}\n{% render 'footer' %}`),
  'big.mjml': page(`${text('x'.repeat(110_000))}\n{% render 'footer' %}`),
  'dropped.mjml': page(`${text('a')}\n{% if offer %}\n${text('b')}\n{% endif %}\n{% render 'footer' %}`),
  'bad-liquid.mjml': page(`${text('a')}\n${text('{% if offer %}open')}\n{% render 'footer' %}`),
  'bad-link.mjml': page(
    [
      text('<a href="javascript:alert(document.cookie)">Open</a>'),
      '<mj-section><mj-column><mj-button href="  JAVA&#x09;SCRIPT:alert(1)">Go</mj-button></mj-column></mj-section>',
      text(`<a href='vbscript:{{ x }}'>x</a> <a href="//evil.example/{{ y }}">y</a>`),
      '<mj-section><mj-column><mj-image alt="x" src="data:image/png;base64,AAAA" /></mj-column></mj-section>',
      text(
        '<a href="https://shop.example/{{ x }}">ok</a> <a href="#">ok</a> <a href="{{ cart.recovery_url }}">ok</a>',
      ),
      "{% render 'footer' %}",
    ].join('\n'),
  ),
  'partials/footer.mjml': footer,
  'partials/bare.mjml': text('Bye'),
  'partials/logo.mjml': `<mj-section><mj-column>\n<mj-image src="https://x.example/l.png" />\n</mj-column></mj-section>`,
};
const campaigns = Object.keys(templates).filter((name) => !name.startsWith('partials/'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-checks-'));
  await mkdir(join(dir, 'campaigns'));
  await mkdir(join(dir, 'emails', 'partials'), { recursive: true });
  await cp('campaigns/settings.yaml', join(dir, 'campaigns', 'settings.yaml'));
  for (const [name, content] of Object.entries(templates))
    await writeFile(join(dir, 'emails', name), content);
  for (const [i, template] of campaigns.entries()) {
    const subject = template === 'good.mjml' ? '"{{ customer.first_name | nope }}"' : 'Hello';
    await writeFile(
      join(dir, 'campaigns', `c-${template.replace('.mjml', '')}.yaml`),
      `name: C ${i}\npriority: ${i + 1}\ntrigger: { type: dormant, days: 90 }\nemail:\n  template: ${template}\n  subject: ${subject}\n`,
    );
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function findings() {
  const result = await loadCampaigns({
    dir: join(dir, 'campaigns'),
    emailsDir: join(dir, 'emails'),
    checks: validateChecks,
  });
  const strip = (d: { file: string; line: number; message: string }) => ({
    at: `${d.file.slice(dir.length + 1)}:${d.line}`,
    message: d.message,
  });
  return { errors: result.ok ? [] : result.errors.map(strip), warnings: result.warnings.map(strip) };
}

describe('template checks in rekindle validate', () => {
  it('fails marketing templates without the footer, unsubscribe link or postal address', async () => {
    const { errors } = await findings();
    expect(errors).toContainEqual({
      at: 'emails/no-footer.mjml:1',
      message: expect.stringMatching(/^no-footer\.mjml does not include the footer partial/),
    });
    expect(errors).toContainEqual({
      at: 'emails/no-footer.mjml:1',
      message: expect.stringMatching(/no unsubscribe link/),
    });
    expect(errors).toContainEqual({
      at: 'emails/bare-footer.mjml:1',
      message: expect.stringMatching(/postal address/),
    });
    expect(errors.filter((e) => e.at.startsWith('emails/good.mjml'))).toEqual([]);
  });

  it('errors on MJML-dropped Liquid and Liquid syntax with file and line, and on subjects', async () => {
    const { errors } = await findings();
    expect(errors).toContainEqual({
      at: 'emails/dropped.mjml:4',
      message: expect.stringMatching(/MJML dropped the Liquid \{% if offer %\}/),
    });
    expect(errors).toContainEqual({
      at: 'emails/bad-liquid.mjml:4',
      message: expect.stringMatching(/Liquid syntax error: tag \{% if offer %\} not closed/),
    });
    expect(errors).toContainEqual({
      at: 'campaigns/c-good.yaml:6',
      message: expect.stringMatching(/email\.subject is not valid Liquid: unknown filter 'nope'/),
    });
  });

  it('fails templates with links that can never be safe, naming file and line', async () => {
    const { errors } = await findings();
    const links = errors.filter(
      (e) => e.at.startsWith('emails/bad-link.mjml') && e.message.includes('is not a safe link'),
    );
    expect(links.map((e) => e.at)).toEqual([
      'emails/bad-link.mjml:3',
      'emails/bad-link.mjml:4',
      'emails/bad-link.mjml:5',
      'emails/bad-link.mjml:5',
      'emails/bad-link.mjml:6',
    ]);
    for (const e of links)
      expect(e.message).toMatch(/is not a safe link: links in emails must be an absolute http\(s\) URL/);
    expect(links[0]!.message).toMatch(/^href="javascript:alert\(document\.cookie\)"/);
    expect(links[4]!.message).toMatch(/^src="data:image/);
  });

  it('warns about images without alt (in the partial that has them) and emails Gmail would clip', async () => {
    const { warnings } = await findings();
    expect(warnings).toContainEqual({
      at: 'emails/partials/logo.mjml:2',
      message: expect.stringMatching(/^image without alt text/),
    });
    expect(warnings).toContainEqual({
      at: 'emails/big.mjml:1',
      message: expect.stringMatching(/renders to 1\d\d KB of HTML .*Gmail clips messages over 102 KB/),
    });
    expect(warnings.filter((w) => w.at.includes('good.mjml'))).toEqual([]);
  });
});

describe('names in templates, checked against what each trigger provides', () => {
  let root: string;
  const files: Record<string, string> = {
    'emails/partials/footer.mjml': footer,
    // Indented render tags: the partial's first line shares a line with the including file's indentation.
    'emails/partials/cart-lines.mjml': `<mj-text>{% for item in cart.items %}{{ item.title }} {{ item.line_total.display }}{% endfor %}</mj-text>`,
    'emails/partials/greeting.mjml': '<mj-text>Hi {{ shop.nmae }}</mj-text>',
    'emails/scoped.mjml': page(
      [
        '<mj-section><mj-column>',
        "  {% render 'greeting' %}",
        '  <mj-text>{% assign card = recommended[0] %}{{ card.title }} {{ card.titel }}</mj-text>',
        '  <mj-text>{% for p in recommended %}{{ p.price.display }} {{ forloop.index }}{% endfor %}{{ p.title }}</mj-text>',
        '</mj-column></mj-section>',
        "{% render 'footer' %}",
      ].join('\n'),
    ),
    'emails/cart.mjml': page(
      `<mj-section><mj-column>\n  {% render 'cart-lines' %}\n</mj-column></mj-section>\n{% render 'footer' %}`,
    ),
    'campaigns/winback.yaml':
      'name: W\ntrigger: { type: dormant, days: 90 }\nemail: { template: scoped.mjml, subject: "Hi {{ customer.first_name }}" }\n',
    'campaigns/cart.yaml':
      'name: C\ntrigger:\n  type: abandoned_cart\n  steps:\n    - delay_hours: 1\n      email: { template: cart.mjml, subject: "{{ cart.total.display }} waiting" }\n',
    'campaigns/lost.yaml':
      'name: L\npriority: 2\ntrigger: { type: dormant, days: 30 }\nemail: { template: cart.mjml, subject: "{{ cart.total.display }}" }\n',
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rekindle-names-'));
    await mkdir(join(root, 'emails', 'partials'), { recursive: true });
    await mkdir(join(root, 'campaigns'));
    await cp('campaigns/settings.yaml', join(root, 'campaigns', 'settings.yaml'));
    for (const [name, content] of Object.entries(files)) await writeFile(join(root, name), content);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  async function run() {
    const result = await loadCampaigns({
      dir: join(root, 'campaigns'),
      emailsDir: join(root, 'emails'),
      checks: validateChecks,
    });
    return {
      errors: result.ok
        ? []
        : result.errors.map((d) => `${d.file.slice(root.length + 1)}:${d.line}:${d.column} ${d.message}`),
      ok: result.campaigns.map((c) => c.id),
    };
  }

  it('knows assigned and loop variables within their scope, with their shapes', async () => {
    const { errors } = await run();
    const scoped = errors.filter((e) => e.startsWith('emails/scoped.mjml'));
    expect(scoped).toEqual([
      "emails/scoped.mjml:5:71 unknown field 'titel' in card.titel (did you mean 'title'?); card has id, title, url, image_url, price",
      "emails/scoped.mjml:6:94 unknown variable 'p'; this email has customer, shop, campaign, offer, recommended, links",
    ]);
  });

  it("blames a partial's first line on the partial, at its own column", async () => {
    const { errors } = await run();
    expect(errors).toContain(
      "emails/partials/greeting.mjml:1:21 unknown field 'nmae' in shop.nmae (did you mean 'name'?); shop has name, logo_url, color, postal_address",
    );
  });

  it("checks a shared partial against each trigger's view, and fails only the campaigns it is wrong for", async () => {
    const { errors, ok } = await run();
    const cartLines = errors.filter((e) => e.startsWith('emails/partials/cart-lines.mjml'));
    expect(cartLines).toEqual([
      "emails/partials/cart-lines.mjml:1:25 'cart' is always empty in lost's emails: lost is a dormant campaign, and only abandoned_cart campaigns' emails have cart",
    ]);
    expect(errors).toContain(
      "campaigns/lost.yaml:4:40 email.subject: 'cart' is always empty in lost's emails: lost is a dormant campaign, and only abandoned_cart campaigns' emails have cart",
    );
    // The cart campaign's view has a cart: the partial is right for it. winback fails on scoped.mjml.
    expect(ok).toEqual(['cart']);
  });
});
