// The delivery headers every marketing message carries, built in one place:
// RFC 8058 one-click unsubscribe (an https URL the mailbox provider can POST
// to, plus a mailto fallback), RFC 2919 List-ID naming the campaign at the
// shop's domain, a Feedback-ID (Gmail's feedback loop: campaign, step and
// sender, no recipient data) and a Message-ID derived from the message's dedupe key. The
// Message-ID is a hash, so it never carries the customer's id or address, and
// it is the same on every attempt, so a receiver can tell a retry from a new
// message. Pure.
import { sha256Hex } from '../sha256.ts';

export interface DeliveryHeaderInput {
  /** The outbox dedupe key (campaign:step:customer:instance). Hashed, never shown. */
  dedupeKey: string;
  campaignId: string;
  /** The campaign step's index (0 = the first; shown from 1). */
  step: number;
  /** The sender's address; its domain names the Message-ID and the List-ID. */
  fromEmail: string;
  /** The https one-click unsubscribe URL for this message. */
  unsubscribeUrl: string;
  /** Where an unsubscribe email may go; left out of List-Unsubscribe when null. */
  unsubscribeMailto: string | null;
}

export interface DeliveryHeaders {
  /** Without angle brackets. */
  messageId: string;
  /** Header name -> value, in the order they are written. */
  headers: [string, string][];
}

export async function buildDeliveryHeaders(input: DeliveryHeaderInput): Promise<DeliveryHeaders> {
  const domain = domainOf(input.fromEmail);
  const messageId = `${messageIdLocalPart(input.dedupeKey)}@${domain}`;
  const unsubscribe = [`<${input.unsubscribeUrl}>`];
  if (input.unsubscribeMailto) unsubscribe.push(`<${mailtoUrl(input.unsubscribeMailto)}>`);
  return {
    messageId,
    headers: [
      ['Message-ID', `<${messageId}>`],
      ['List-ID', `<${listLabel(input.campaignId)}.${domain}>`],
      ['List-Unsubscribe', unsubscribe.join(', ')],
      ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
      ['Feedback-ID', feedbackId(input.campaignId, input.step, domain)],
    ],
  };
}

/**
 * 128 bits of SHA-256 over the dedupe key: unique per message, and no PII.
 * The synchronous hash (core/sha256.ts): Web Crypto's digest went through the
 * thread pool once per message sent.
 */
export function messageIdLocalPart(dedupeKey: string): string {
  return `rk.${sha256Hex(dedupeKey).slice(0, 32)}`;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain =
    at < 0
      ? ''
      : address
          .slice(at + 1)
          .trim()
          .toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(domain) || !domain.includes('.')) {
    throw new Error(`sender address has no usable domain: '${domain}'`);
  }
  return domain;
}

// RFC 2919: the label is a dot-atom; campaign ids are file names, so keep the
// letters, digits and hyphens and lowercase them.
function listLabel(campaignId: string): string {
  const label = campaignId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return label || 'campaign';
}

/**
 * Gmail's Feedback-ID, `a:b:SenderId`: identifiers it reports complaint rates
 * by, so a campaign whose complaints rise shows up by name. Each field is a
 * label (no ':'), and none names the recipient.
 */
function feedbackId(campaignId: string, step: number, domain: string): string {
  return `${listLabel(campaignId)}:step${step + 1}:${domain.replace(/\./g, '-')}`;
}

function mailtoUrl(mailto: string): string {
  if (mailto.startsWith('mailto:')) return mailto;
  return `mailto:${mailto}?subject=unsubscribe`;
}
