// Filling the shipped templates with the output passes streamed gives, byte
// for byte, what the whole-string way gives: liquidjs over the compiled
// template, then the conditional merge over the HTML and tidyText over the
// text. Recipients vary in every field a customer or a shop can type.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledTemplate } from '../../../src/adapters/templates/compiled-template.ts';
import { cleanSubject, createTemplateFiller } from '../../../src/adapters/templates/fill-template.ts';
import { tidyText } from '../../../src/adapters/templates/html-to-text.ts';
import { createLiquidEngines } from '../../../src/adapters/templates/liquid-engines.ts';
import { createMjmlRenderer } from '../../../src/adapters/templates/mjml-renderer.ts';
import { mayMergeConditionals, mergeConditionals } from '../../../src/adapters/templates/output-stages.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import type { CampaignSet } from '../../../src/core/campaigns/types.ts';
import type { EmailView } from '../../../src/core/rendering/contract.ts';
import { sampleView } from '../../../src/core/rendering/sample-view.ts';

let set: CampaignSet;
beforeAll(async () => {
  const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  set = loaded.set;
});

const engines = createLiquidEngines();

function wholeString(template: CompiledTemplate, subject: string, view: EmailView) {
  const html = engines.html.parseAndRenderSync(template.html, view);
  return {
    subject: cleanSubject(engines.text.parseAndRenderSync(subject, view)),
    html: mayMergeConditionals(template.html) ? mergeConditionals(html) : html,
    text: tidyText(engines.text.parseAndRenderSync(template.text, view)),
  };
}

const names = [
  null,
  '',
  'Ada',
  '<script>alert(1)</script>',
  'Zoë & "Łukasz" <b>',
  "O'Brien",
  '  Ann  ',
  'Bo\r\nBcc: all@example.com',
  'tab\there',
  '\n\n\nJo\n\n\n',
  '\u00a0Nbsp\u00a0',
  '李小龍 😀',
  ' ',
];

/** Recipient i: a name from the list and a mix of cart, offer, images and recommendations. */
function recipient(base: EmailView, i: number): EmailView {
  const strange = names[(i + 3) % names.length] ?? 'x';
  const item = <P extends EmailView['recommended'][number]>(p: P, n: number): P => ({
    ...p,
    title: n % 2 === 0 ? p.title : `${strange} ${p.title}`,
    image_url: (i + n) % 3 === 0 ? null : p.image_url,
    url: (i + n) % 4 === 1 ? null : p.url,
  });
  return {
    ...base,
    customer: { ...base.customer, id: `c${i}`, first_name: names[i % names.length] ?? null },
    shop: {
      ...base.shop,
      name: i % 5 === 4 ? `${strange} & Co` : base.shop.name,
      logo_url: i % 3 === 2 ? null : base.shop.logo_url,
      color: i % 4 === 3 ? '#123456' : base.shop.color,
    },
    offer: i % 6 === 5 ? null : base.offer,
    cart: base.cart && {
      ...base.cart,
      items: base.cart.items.slice(0, i % 3).map(item),
      total: i % 7 === 6 ? null : base.cart.total,
      recovery_url: i % 5 === 1 ? null : base.cart.recovery_url,
    },
    product: base.product && item(base.product, i),
    recommended: base.recommended.slice(0, i % 4).map(item),
    links: { ...base.links, unsubscribe: `https://m.example/u/t${i}?a=1&b="${i}"` },
  };
}

describe('filling with the output passes streamed', () => {
  it('gives the bytes of the whole-string passes for every shipped template and varied recipients', async () => {
    const renderer = createMjmlRenderer({ emailsDir: 'emails' });
    const filler = createTemplateFiller();
    let compared = 0;
    for (const campaign of set.campaigns) {
      for (const step of campaign.steps) {
        const outcome = await renderer.compile(step.email.template);
        if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
        const base = sampleView(campaign, set.settings, { step: step.index, now: Date.UTC(2026, 10, 1) });
        const subject = `{{ customer.first_name | default: 'you' }}: ${step.email.subject}`;
        for (let i = 0; i < 3 * names.length; i++) {
          const view = recipient(base, i);
          const label = `${step.email.template} / recipient ${i}`;
          const fast = filler.fill(outcome.template, subject, view);
          const reference = wholeString(outcome.template, subject, view);
          expect(fast.html, label).toBe(reference.html);
          expect(fast.text, label).toBe(reference.text);
          expect(fast.subject, label).toBe(reference.subject);
          compared++;
        }
      }
    }
    expect(compared).toBe(10 * 3 * names.length);
  });
});
