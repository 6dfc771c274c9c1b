// The Worker-safe half of rendering: plain-text derivation, escaping in the
// HTML and the subject, partial resolution and trigger_ref parsing.
import { describe, expect, it } from 'vitest';
import type { CompiledTemplate } from '../../../src/adapters/templates/compiled-template.ts';
import { cleanSubject, createTemplateFiller } from '../../../src/adapters/templates/fill-template.ts';
import { htmlToText, tidyText } from '../../../src/adapters/templates/html-to-text.ts';
import { resolvePartials, type SourceReader } from '../../../src/adapters/templates/partials.ts';
import { recoveryUrlWithCoupon } from '../../../src/core/rendering/recovery-url.ts';
import { sampleView } from '../../../src/core/rendering/sample-view.ts';
import { dormantCampaign, shopSettings } from '../support/campaign-fixtures.ts';

const script = '<script>alert(1)</script>';

function view(firstName: string | null) {
  const v = sampleView(dormantCampaign(), shopSettings(), { now: Date.UTC(2026, 10, 1) });
  return {
    ...v,
    customer: { ...v.customer, first_name: firstName },
    links: { ...v.links, unsubscribe: 'https://mail.example/u/t?a=1&b="2"' },
  };
}

describe('htmlToText', () => {
  it('keeps links as "text (url)" and drops head, styles, comments and the hidden preheader', () => {
    const html = `<!doctype html><html><head><title>T</title><style>.a{color:red}</style></head>
      <body><div style="display:none;max-height:0px;">Preheader&#847;&zwnj;&nbsp;</div>
      <!--[if mso | IE]><table><tr><td><![endif]-->
      <h1>Hello   &amp; welcome</h1><p>Read <a href="https://shop.example/a?x=1&amp;y=2">our   news</a> today.</p>
      <a href="https://shop.example/"><img src="logo.png" alt="Shop logo"></a>
      <a href="https://shop.example/plain">https://shop.example/plain</a>
      <table><tr><td>Mug</td><td>&pound;12.00</td></tr></table>
      <!--[if mso | IE]></td></tr></table><![endif]--></body></html>`;
    expect(htmlToText(html)).toBe(
      [
        'Hello & welcome',
        '',
        'Read our news (https://shop.example/a?x=1&y=2) today.',
        'Shop logo (https://shop.example/) https://shop.example/plain',
        '',
        'Mug £12.00',
      ].join('\n'),
    );
  });

  it('does not decode twice', () => {
    expect(htmlToText('<p>&amp;lt;b&amp;gt; <a href="x">&amp;lt;</a></p>')).toBe('&lt;b&gt; &lt; (x)');
  });

  it('tidies blank runs and trailing blanks', () => {
    expect(tidyText('  a  \n\n\n\n b \n   \n')).toBe('a\n\nb');
  });
});

describe('filling a compiled template', () => {
  const template: CompiledTemplate = {
    hash: 'test',
    html: '<p>Hi {{ customer.first_name | default: "there" }}</p><a href="{{ links.unsubscribe }}">Unsubscribe</a>',
    text: 'Hi {{ customer.first_name | default: "there" }}\nUnsubscribe ({{ links.unsubscribe }})',
  };
  const filler = createTemplateFiller();

  it('HTML-escapes every variable in the HTML, attributes included', () => {
    const email = filler.fill(template, 'x', view(script));
    expect(email.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script');
    expect(email.html).toContain('href="https://mail.example/u/t?a=1&amp;b=&#34;2&#34;"');
  });

  it('renders subject and text unescaped, as text, on one subject line', () => {
    const email = filler.fill(template, '{{ customer.first_name }}, 15% off', view(script));
    expect(email.subject).toBe(`${script}, 15% off`);
    expect(email.text).toBe(`Hi ${script}\nUnsubscribe (https://mail.example/u/t?a=1&b="2")`);
    const injected = filler.fill(template, '{{ customer.first_name }}!', view('Bo\r\nBcc: all@example.com'));
    expect(injected.subject).toBe('Bo Bcc: all@example.com!');
    expect(cleanSubject(' a\u2028b\u0000 ')).toBe('a b');
  });

  it('falls back to defaults for missing names', () => {
    expect(filler.fill(template, 'Hi {{ customer.first_name | default: "you" }}', view(null)).subject).toBe(
      'Hi you',
    );
  });
});

describe('partials', () => {
  const files: Record<string, string> = {
    'a.mjml': '<mjml>\n<mj-body>\n{% render "footer" %}\n<mj-text>after</mj-text>\n</mj-body></mjml>',
    'partials/footer.mjml': 'f1\n{% render "legal" %}\nf3',
    'partials/legal.mjml': 'l1\nl2',
    'loop.mjml': "{% render 'loop' %}",
    'partials/loop.mjml': "x\n{% include 'loop' %}",
    'missing.mjml': "line1\n  {% render 'nope' %}",
  };
  const reader: SourceReader = { read: async (path) => files[path] ?? null };

  it('inlines partials recursively and maps every line back to its file', async () => {
    const result = await resolvePartials('a.mjml', reader);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { text, origin, partials } = result.source;
    expect(text).toBe('<mjml>\n<mj-body>\nf1\nl1\nl2\nf3\n<mj-text>after</mj-text>\n</mj-body></mjml>');
    expect(partials).toEqual(['footer', 'legal']);
    expect(origin(2)).toEqual({ file: 'a.mjml', line: 2, column: 1 });
    // A partial's first line is the partial's, not the line of the tag that includes it.
    expect(origin(3)).toEqual({ file: 'partials/footer.mjml', line: 1, column: 1 });
    expect(origin(4)).toEqual({ file: 'partials/legal.mjml', line: 1, column: 1 });
    expect(origin(5)).toEqual({ file: 'partials/legal.mjml', line: 2, column: 1 });
    expect(origin(6)).toEqual({ file: 'partials/footer.mjml', line: 3, column: 1 });
    expect(origin(7)).toEqual({ file: 'a.mjml', line: 4, column: 1 });
  });

  it('reports a missing partial and a cycle with file and line', async () => {
    const missing = await resolvePartials('missing.mjml', reader);
    expect(missing).toMatchObject({ ok: false, problems: [{ file: 'missing.mjml', line: 2, column: 3 }] });
    const loop = await resolvePartials('loop.mjml', reader);
    expect(loop.ok).toBe(false);
    if (!loop.ok) expect(loop.problems[0]?.message).toMatch(/includes itself/);
  });
});

describe('links and trigger refs', () => {
  it('applies the coupon to a recovery URL as ?discount=, unless the URL names one already', () => {
    expect(recoveryUrlWithCoupon('https://s.example/cart/recover/abc', 'CART-1234')).toBe(
      'https://s.example/cart/recover/abc?discount=CART-1234',
    );
    expect(recoveryUrlWithCoupon('https://s.example/r?key=1', 'A B')).toBe(
      'https://s.example/r?key=1&discount=A+B',
    );
    expect(recoveryUrlWithCoupon('https://s.example/r?coupon=X', 'Y')).toBe('https://s.example/r?coupon=X');
    expect(recoveryUrlWithCoupon('https://s.example/r', null)).toBe('https://s.example/r');
  });

  it('gives no recovery link at all for a stored URL that is not a safe link', () => {
    expect(recoveryUrlWithCoupon('javascript:alert(document.cookie)', 'CART-1')).toBeNull();
    expect(recoveryUrlWithCoupon(' https://s.example/r', 'CART-1')).toBeNull();
    expect(recoveryUrlWithCoupon(null, 'CART-1')).toBeNull();
  });
});
