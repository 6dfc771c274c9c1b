// What an inbound SMS asks for, by the standard opt-out and opt-in keywords
// that Twilio's Messaging Services honour: the whole message,
// trimmed and case-folded, must be the keyword. STOP and its synonyms stop
// SMS to the number at once; only START or UNSTOP, sent by the customer,
// restores it. Anything else is a plain reply. And phone numbers in E.164
// (ITU-T E.164: a plus, a country code not starting with 0, at most 15 digits).

const optOut = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'];
const optIn = ['START', 'UNSTOP'];

export type InboundIntent = 'opt_out' | 'opt_in' | 'reply';

export function inboundIntent(body: string): InboundIntent {
  const word = body
    .trim()
    .replace(/[.!]+$/, '')
    .toUpperCase();
  if (optOut.includes(word)) return 'opt_out';
  if (optIn.includes(word)) return 'opt_in';
  return 'reply';
}

/** The number in E.164, spaces, dots, dashes and brackets taken out; null when it is not one. */
export function e164(phone: string): string | null {
  const compact = phone.trim().replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{1,14}$/.test(compact) ? compact : null;
}
