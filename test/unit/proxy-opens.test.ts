import { describe, expect, it } from 'vitest';
import { isAppleAddress, type OpenFetch, proxyOpenReason } from '../../src/core/tracking/proxy-opens.ts';

const sentAt = Date.parse('2026-11-01T12:00:00Z');
const anHourLater = sentAt + 3_600_000;
const iphoneMail =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const open = (over: Partial<OpenFetch>): OpenFetch => ({
  userAgent: iphoneMail,
  ip: '203.0.113.7',
  at: anHourLater,
  sentAt,
  ...over,
});

describe('proxyOpenReason', () => {
  it('leaves a person opening later unflagged', () => {
    expect(proxyOpenReason(open({}))).toBeNull();
    expect(proxyOpenReason(open({ sentAt: null }))).toBeNull();
    expect(proxyOpenReason(open({ ip: null }))).toBeNull();
  });

  it.each([
    ['Mozilla/5.0', '203.0.113.7', 'apple_privacy_proxy'],
    [' Mozilla/5.0 ', null, 'apple_privacy_proxy'],
    [
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      null,
      'google_image_proxy',
    ],
    ['YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', null, 'yahoo_mail_proxy'],
    ['Mozilla/5.0 (compatible; Some ImageProxy)', null, 'image_proxy'],
    ['', null, 'no_user_agent'],
    [iphoneMail, '17.58.101.12', 'apple_network'],
    [iphoneMail, '::ffff:17.1.2.3', 'apple_network'],
    [iphoneMail, '2620:149:a0c:4000::1', 'apple_network'],
    [iphoneMail, '2a01:B740::7', 'apple_network'],
  ])('flags %j from %s as %s', (userAgent, ip, reason) => {
    expect(proxyOpenReason(open({ userAgent, ip }))).toBe(reason);
  });

  it('flags a missing user agent', () => {
    expect(proxyOpenReason(open({ userAgent: null }))).toBe('no_user_agent');
  });

  it('flags opens within the prefetch window after sending, not after it', () => {
    expect(proxyOpenReason(open({ at: sentAt + 5_000 }))).toBe('prefetched_at_delivery');
    expect(proxyOpenReason(open({ at: sentAt + 19_999 }))).toBe('prefetched_at_delivery');
    expect(proxyOpenReason(open({ at: sentAt + 20_000 }))).toBeNull();
  });
});

describe('isAppleAddress', () => {
  it.each([
    ['17.0.0.1', true],
    ['170.0.0.1', false],
    ['1.17.0.1', false],
    ['2620:0149::1', true],
    ['2620:14a::1', false],
    ['2001:db8::1', false],
    ['::1', false],
    ['not an ip', false],
  ])('%s -> %s', (ip, expected) => {
    expect(isAppleAddress(ip)).toBe(expected);
  });
});
