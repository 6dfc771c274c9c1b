// Twilio's request signature against the worked example Twilio publishes
// (auth token 12345; the same vector its own libraries test: twilio-csharp's
// and twilio-php's RequestValidatorTest), a repeated parameter (their
// duplicate-values vector), and forgeries of every input refused.
import { describe, expect, it } from 'vitest';
import { twilioSignature, verifyTwilioSignature } from '../../src/core/sms/twilio-signature.ts';

const token = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
// Out of order on purpose: the signature sorts them.
const params: [string, string][] = [
  ['Digits', '1234'],
  ['To', '+18005551212'],
  ['From', '+14158675309'],
  ['Caller', '+14158675309'],
  ['CallSid', 'CA1234567890ABCDE'],
];
const documented = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('Twilio request signatures', () => {
  it("reproduces Twilio's documented example", async () => {
    expect(await twilioSignature(token, url, params)).toBe(documented);
    expect(await verifyTwilioSignature(token, url, params, documented)).toBe(true);
  });

  it('signs the distinct values of a repeated parameter, sorted', async () => {
    const repeated: [string, string][] = [
      ['Sid', 'CA123'],
      ['SidAccount', 'AC123'],
      ['Digits', '5678'],
      ['Digits', '1234'],
      ['Digits', '1234'],
    ];
    expect(await twilioSignature(token, url, repeated)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('refuses a changed value, URL, token, a missing or a forged header', async () => {
    const changed = params.map(([k, v]): [string, string] => [k, k === 'Digits' ? '9999' : v]);
    expect(await verifyTwilioSignature(token, url, changed, documented)).toBe(false);
    expect(await verifyTwilioSignature(token, `${url}&extra=1`, params, documented)).toBe(false);
    expect(await verifyTwilioSignature('54321', url, params, documented)).toBe(false);
    expect(await verifyTwilioSignature(token, url, [...params, ['Extra', '1']], documented)).toBe(false);
    for (const header of [null, '', 'RSOYDt4T1cUTdK1PDd93/VVr8B8', 'x'.repeat(100)])
      expect(await verifyTwilioSignature(token, url, params, header)).toBe(false);
  });
});
