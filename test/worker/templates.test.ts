// Rendering inside workerd: the precompiled templates filled by liquidjs, with
// no MJML and no file system, escaping as on Node.
import { describe, expect, it } from 'vitest';
import { createPrecompiledRenderer } from '../../src/adapters/templates/precompiled-renderer.ts';
import { sampleView } from '../../src/core/rendering/sample-view.ts';
import { emailTemplates } from '../../src/generated/email-templates.ts';
import { dormantCampaign, shopSettings, winbackOffer } from '../node/support/campaign-fixtures.ts';

describe('precompiled templates in workerd', () => {
  it('renders the winback email with the coupon, escaped name, footer and text part', async () => {
    const campaign = dormantCampaign({
      steps: [
        {
          index: 0,
          delayHours: 0,
          email: {
            template: 'winback.mjml',
            subject: "{{ customer.first_name | default: 'Hello' }}, 15% off",
          },
          offer: winbackOffer,
        },
      ],
    });
    const view = sampleView(campaign, shopSettings(), {
      now: Date.UTC(2026, 10, 1),
      unsubscribeUrl: 'https://mail.shop.example/u/abc',
    });
    view.customer = { ...view.customer, first_name: '<script>alert(1)</script>' };
    const email = await createPrecompiledRenderer(emailTemplates).render(
      'winback.mjml',
      campaign.steps[0]!.email.subject,
      view,
    );
    expect(email.subject).toBe('<script>alert(1)</script>, 15% off');
    expect(email.html).toContain('We miss you, &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('BACK-SAMPLE');
    expect(email.html).toContain('href="https://mail.shop.example/u/abc"');
    expect(email.text).toContain('15% off with code');
    expect(email.text).toContain('Unsubscribe (https://mail.shop.example/u/abc)');
    expect(email.text).toContain('1 High Street, London');
  });
});
