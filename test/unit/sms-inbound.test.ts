// Inbound SMS keywords (the standard opt-out and opt-in words, whole message
// only) and E.164 numbers at their limits.
import { describe, expect, it } from 'vitest';
import { e164, inboundIntent } from '../../src/core/sms/inbound.ts';

describe('inboundIntent', () => {
  it('reads every opt-out and opt-in keyword, in any case, with spaces or a full stop', () => {
    for (const word of [
      'STOP',
      'stopall',
      'Unsubscribe',
      'cancel',
      'END',
      'quit',
      'OptOut',
      'revoke',
      ' stop. ',
    ])
      expect(inboundIntent(word), word).toBe('opt_out');
    for (const word of ['START', 'unstop', 'Start!']) expect(inboundIntent(word), word).toBe('opt_in');
  });

  it('is a plain reply when the keyword is only part of the message', () => {
    for (const body of ['please stop', 'STOP IT', "don't stop", 'yes', '', 'STARTED']) {
      expect(inboundIntent(body), body).toBe('reply');
    }
  });
});

describe('e164', () => {
  it('accepts a plus, a country code and at most 15 digits, formatting taken out', () => {
    expect(e164('+44 20 7946 0958')).toBe('+442079460958');
    expect(e164('+1 (415) 867-5309')).toBe('+14158675309');
    expect(e164(`+1${'2'.repeat(14)}`)).toBe(`+1${'2'.repeat(14)}`);
  });

  it('refuses numbers without a plus, with a leading 0 country code, too long or too short', () => {
    for (const bad of ['02079460958', '+0441234', `+1${'2'.repeat(15)}`, '+1', 'phone', '+44 20 7946 095x'])
      expect(e164(bad), bad).toBeNull();
  });
});
