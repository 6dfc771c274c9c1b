// Turns one claimed message into a wire-ready email: the signed unsubscribe
// URL, the view, the rendered template, tracked links, the delivery headers
// and the composed MIME. Shared by the outbox drain and `rekindle send-test`,
// so a test send is the same message a customer would get. Never sends.
import type { CampaignStep, ShopSettings } from '../../core/campaigns/types.ts';
import { buildDeliveryHeaders } from '../../core/delivery/headers.ts';
import type { OutgoingMail } from '../../core/delivery/transport.ts';
import type { UnsubscribeUrl } from '../../core/delivery/unsubscribe-link.ts';
import { composeMime } from '../../core/mime/compose.ts';
import type { EmailView, MessageRenderer } from '../../core/rendering/contract.ts';
import type { LinkTracker } from './ports.ts';

export interface MailSource {
  /** The outbox id: names tokens and .eml files. */
  id: string;
  dedupeKey: string;
  campaignId: string;
  to: string;
}

export interface MailTools {
  renderer: MessageRenderer;
  trackLinks: LinkTracker;
  unsubscribeUrl: UnsubscribeUrl;
  unsubscribeMailto: string | null;
  settings: ShopSettings;
}

export interface PreparedMail {
  mail: OutgoingMail;
  /** The original URLs behind the click tokens, in index order. */
  links: string[];
}

/** The default mailto for List-Unsubscribe: the shop's reply-to, else its from address. */
export function defaultUnsubscribeMailto(settings: ShopSettings): string {
  return settings.sender.replyTo ?? settings.sender.fromEmail;
}

export async function prepareMail(
  source: MailSource,
  step: CampaignStep,
  view: (unsubscribeUrl: string) => Promise<EmailView | null>,
  tools: MailTools,
  now: number,
): Promise<PreparedMail | null> {
  const unsubscribeUrl = await tools.unsubscribeUrl(source.id);
  const emailView = await view(unsubscribeUrl);
  if (!emailView) return null;
  const rendered = await tools.renderer.render(step.email.template, step.email.subject, emailView);
  const tracked = await tools.trackLinks({ messageId: source.id, html: rendered.html, text: rendered.text });
  const { sender } = tools.settings;
  const headers = await buildDeliveryHeaders({
    dedupeKey: source.dedupeKey,
    campaignId: source.campaignId,
    step: step.index,
    fromEmail: sender.fromEmail,
    unsubscribeUrl,
    unsubscribeMailto: tools.unsubscribeMailto,
  });
  const raw = composeMime({
    from: { name: sender.fromName, address: sender.fromEmail },
    to: { address: source.to },
    replyTo: sender.replyTo ? { address: sender.replyTo } : null,
    subject: rendered.subject,
    text: tracked.text ?? rendered.text,
    html: tracked.html,
    date: now,
    headers: headers.headers,
    boundarySeed: headers.messageId,
  });
  return {
    mail: {
      id: source.id,
      messageId: headers.messageId,
      envelope: { from: sender.fromEmail, to: source.to },
      raw,
    },
    links: tracked.links,
  };
}
