// The pure delivery core: the rate limiter's sliding-window cap, retry and
// backoff decisions, the pause while the transport is unavailable, the delivery headers, SMTP error classification and the
// MIME encodings.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isHardBounce, smtpOutcome } from '../../../src/adapters/mailer/smtp-outcome.ts';
import { buildDeliveryHeaders, messageIdLocalPart } from '../../../src/core/delivery/headers.ts';
import { parseTriggerRef } from '../../../src/core/delivery/recheck.ts';
import { backoffDelay, defaultRetryPolicy, nextStep } from '../../../src/core/delivery/retry-policy.ts';
import { createSendPause } from '../../../src/core/delivery/send-pause.ts';
import { createRateLimiter } from '../../../src/core/delivery/send-rate-cap.ts';
import { encodedWords, headerLine, quotedPrintable } from '../../../src/core/mime/encoding.ts';

/** The most starts inside any window [s, s + width). */
function busiestWindow(starts: number[], width: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= width) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('rate limiter', () => {
  /** Sends `count` messages through the limiter; each takes `duration(i)` ms from start to finish. */
  function simulate(perWindow: number, count: number, workers: number, duration: (i: number) => number) {
    const limiter = createRateLimiter({ perWindow });
    const starts: number[] = [];
    const finishes: number[] = [];
    const free = Array.from({ length: workers }, () => 0);
    while (starts.length < count) {
      // The worker that is free first asks; when refused it waits exactly as told.
      const w = free.indexOf(Math.min(...free));
      const now = free[w]!;
      const permit = limiter.take(now);
      if (typeof permit === 'number') {
        free[w] = now + permit;
        continue;
      }
      const i = starts.length;
      starts.push(now);
      const done = now + duration(i);
      finishes.push(done);
      free[w] = done + (i % 37 === 0 ? 1300 : 0);
      permit.release(done);
    }
    return { starts, finishes };
  }

  it('never lets more than N start in any sliding second, however long sends take', () => {
    const { starts } = simulate(10, 500, 4, (i) => (i * 7919) % 230);
    expect(
      busiestWindow(
        starts.slice().sort((a, b) => a - b),
        1000,
      ),
    ).toBe(10);
  });

  it('caps finishes too, so a receiver never sees more than N in a second', () => {
    // Slow first sends (a connection being set up) must not bunch up with the next second's fast ones.
    const { finishes } = simulate(6, 200, 8, (i) => (i < 6 ? 900 : 5));
    expect(
      busiestWindow(
        finishes.slice().sort((a, b) => a - b),
        1000,
      ),
    ).toBeLessThanOrEqual(6);
  });

  it('is what a refilling token bucket is not: the refill bucket lets 2N through one sliding second', () => {
    // The flaw being avoided: capacity N, refilled at N per second.
    let tokens = 10;
    let last = 0;
    const refill: number[] = [];
    for (let now = 0; now < 3000; now += 1) {
      tokens = Math.min(10, tokens + ((now - last) * 10) / 1000);
      last = now;
      if (now >= 900 && tokens >= 1) {
        tokens -= 1;
        refill.push(now);
      }
    }
    expect(busiestWindow(refill, 1000)).toBeGreaterThanOrEqual(19);

    const limiter = createRateLimiter({ perWindow: 10 });
    const ours: number[] = [];
    for (let now = 0; now < 3000; now += 1) {
      const permit = limiter.take(now);
      if (now >= 900 && typeof permit !== 'number') {
        ours.push(now);
        permit.release(now);
      } else if (typeof permit !== 'number') permit.release(-1000);
    }
    expect(busiestWindow(ours, 1000)).toBe(10);
    expect(ours).toHaveLength(30);
  });

  it('says how long to wait: until a token comes back, or a moment while all are in flight', () => {
    const limiter = createRateLimiter({ perWindow: 2, busyWaitMs: 10 });
    const a = limiter.take(100);
    const b = limiter.take(100);
    expect(limiter.take(150)).toBe(10);
    if (typeof a === 'number' || typeof b === 'number') throw new Error('expected permits');
    a.release(200);
    expect(limiter.take(500)).toBe(700);
    b.release(400);
    expect(limiter.take(1199)).toBe(1);
    expect(typeof limiter.take(1200)).toBe('object');
    expect(limiter.take(1200)).toBe(200);
  });

  it('has no cap at 0', () => {
    const limiter = createRateLimiter({ perWindow: 0 });
    for (let i = 0; i < 1000; i++) expect(typeof limiter.take(0)).toBe('object');
  });
});

describe('retry policy', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };
  it('backs off exponentially with equal jitter, capped', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0))).toEqual([
      500, 1000, 2000, 2500, 2500,
    ]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 1))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
    expect(backoffDelay(defaultRetryPolicy, 1000, () => 1)).toBe(defaultRetryPolicy.maxDelayMs);
  });

  const temporary = { kind: 'temporary', code: 451, reason: 'later' } as const;
  const ambiguous = { kind: 'ambiguous', reason: 'dropped after data' } as const;
  const half = () => 0.5;
  it('retries temporary failures until the last attempt, then fails', () => {
    expect(nextStep(temporary, { attempts: 1, afterAmbiguous: false }, policy, half)).toEqual({
      kind: 'retry',
      delayMs: 750,
      error: 'temporary: 451 later',
    });
    expect(nextStep(temporary, { attempts: 4, afterAmbiguous: false }, policy, half)).toMatchObject({
      kind: 'failed',
      suppress: false,
    });
  });

  it('fails permanent failures at once, suppressing only hard bounces', () => {
    const hard = { kind: 'permanent', code: 550, reason: 'no such user', hardBounce: true } as const;
    expect(nextStep(hard, { attempts: 1, afterAmbiguous: false }, policy, half)).toMatchObject({
      kind: 'failed',
      suppress: true,
    });
    expect(
      nextStep({ ...hard, hardBounce: false }, { attempts: 1, afterAmbiguous: false }, policy, half),
    ).toMatchObject({ kind: 'failed', suppress: false });
  });

  it('gives an ambiguous send one retry, and nothing after it but delivered or failed', () => {
    expect(nextStep(ambiguous, { attempts: 1, afterAmbiguous: false }, policy, half).kind).toBe('ambiguous');
    // Even on the last allowed attempt an ambiguous send gets its one retry.
    expect(nextStep(ambiguous, { attempts: 4, afterAmbiguous: false }, policy, half).kind).toBe('ambiguous');
    for (const outcome of [ambiguous, temporary]) {
      expect(nextStep(outcome, { attempts: 2, afterAmbiguous: true }, policy, half).kind).toBe('failed');
    }
    expect(
      nextStep(
        { kind: 'delivered', providerMessageId: 'x' },
        { attempts: 2, afterAmbiguous: true },
        policy,
        half,
      ),
    ).toEqual({ kind: 'sent', providerMessageId: 'x' });
  });
});

describe('an unavailable transport', () => {
  const policy = { maxAttempts: 2, baseDelayMs: 1000, maxDelayMs: 5000 };
  it('spends no attempt, not even the last one or an ambiguous retry', () => {
    const down = { kind: 'transport_unavailable', reason: 'connect ECONNREFUSED' } as const;
    for (const attempt of [
      { attempts: 1, afterAmbiguous: false },
      { attempts: 9, afterAmbiguous: false },
      { attempts: 2, afterAmbiguous: true },
    ]) {
      expect(nextStep(down, attempt, policy, () => 0.5)).toEqual({
        kind: 'deferred',
        error: 'transport_unavailable: connect ECONNREFUSED',
      });
    }
  });

  it('pauses exponentially, capped, counting sends that failed together once, until one gets through', () => {
    const pause = createSendPause({ baseMs: 1000, maxMs: 8000 });
    expect([pause.failing, pause.waitMs(0)]).toEqual([false, 0]);
    const lengths: number[] = [];
    let now = 0;
    for (let i = 0; i < 6; i++) {
      lengths.push(pause.unavailable(now));
      // Its companions in flight fail a moment later: the same pause.
      expect(pause.unavailable(now + 10)).toBe(0);
      expect(pause.waitMs(now + 10)).toBe(lengths[i]! - 10);
      now += lengths[i]!;
      expect(pause.waitMs(now)).toBe(0);
    }
    expect(lengths).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(pause.failing).toBe(true);
    pause.reachable();
    expect([pause.failing, pause.waitMs(now)]).toEqual([false, 0]);
    expect(pause.unavailable(now)).toBe(1000);
  });
});

describe('delivery headers', () => {
  const input = {
    dedupeKey: 'winback:0:cust-42:lp1700000000000',
    campaignId: 'Win_Back 2026',
    step: 1,
    fromEmail: 'Hello@Shop.Example',
    unsubscribeUrl: 'https://mail.shop.example/u/abc.def',
    unsubscribeMailto: 'unsubscribe@shop.example',
  };
  it('builds RFC 8058 one-click, List-ID and a Message-ID hashed from the dedupe key', async () => {
    const built = await buildDeliveryHeaders(input);
    expect(built.messageId).toMatch(/^rk\.[0-9a-f]{32}@shop\.example$/);
    expect(built.messageId).not.toContain('cust-42');
    expect(built.headers).toEqual([
      ['Message-ID', `<${built.messageId}>`],
      ['List-ID', '<win-back-2026.shop.example>'],
      [
        'List-Unsubscribe',
        '<https://mail.shop.example/u/abc.def>, <mailto:unsubscribe@shop.example?subject=unsubscribe>',
      ],
      ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
      ['Feedback-ID', 'win-back-2026:step2:shop-example'],
    ]);
  });

  it('gives the same message the same Message-ID on every attempt, and another message another', async () => {
    expect((await buildDeliveryHeaders(input)).messageId).toBe((await buildDeliveryHeaders(input)).messageId);
    expect(await messageIdLocalPart('a:0:c:1')).not.toBe(await messageIdLocalPart('a:0:c:2'));
  });

  it('keeps the Message-ID of mail already sent: the first 128 bits of SHA-256 over the dedupe key, in hex', async () => {
    const key = 'winback:0:c-ü-42:lp1';
    const expected = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
    expect(await messageIdLocalPart(key)).toBe(`rk.${expected}`);
  });

  it('leaves the mailto out when there is none', async () => {
    const built = await buildDeliveryHeaders({ ...input, unsubscribeMailto: null });
    expect(built.headers[2]).toEqual(['List-Unsubscribe', '<https://mail.shop.example/u/abc.def>']);
  });
});

describe('SMTP outcome', () => {
  it('classifies replies by code and stage, and drops by whether the data went out', () => {
    const rcpt = (code: number, text: string) => ({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      responseCode: code,
      response: `${code} ${text}`,
    });
    expect(smtpOutcome(rcpt(451, '4.7.1 greylisted'), false)).toMatchObject({ kind: 'temporary', code: 451 });
    expect(smtpOutcome(rcpt(550, '5.1.1 no such user'), false)).toMatchObject({
      kind: 'permanent',
      hardBounce: true,
    });
    expect(smtpOutcome(rcpt(550, '5.7.1 spam'), false)).toMatchObject({
      kind: 'permanent',
      hardBounce: false,
    });
    expect(smtpOutcome(rcpt(552, 'mailbox full'), false)).toMatchObject({
      kind: 'permanent',
      hardBounce: false,
    });
    // A 5xx to our login is our problem, not the recipient's: the transport is unavailable.
    expect(
      smtpOutcome({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, response: '535 bad' }, false),
    ).toMatchObject({ kind: 'transport_unavailable', code: 535 });
    const drop = { code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' };
    expect(smtpOutcome(drop, false).kind).toBe('transport_unavailable');
    expect(smtpOutcome(drop, true).kind).toBe('ambiguous');
    expect(smtpOutcome({ code: 'ETIMEDOUT', command: 'CONN', message: 'Timeout' }, true).kind).toBe(
      'ambiguous',
    );
    // A reply to the data is an answer, not ambiguity.
    expect(
      smtpOutcome({ code: 'EMESSAGE', command: 'DATA', responseCode: 451, response: '451 later' }, true).kind,
    ).toBe('temporary');
  });

  it('calls everything that is not about the message transport_unavailable', () => {
    const session = [
      { code: 'ESOCKET', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:2525' },
      { code: 'EDNS', command: 'CONN', message: 'getaddrinfo ENOTFOUND smtp.example' },
      { code: 'ETLS', command: 'STARTTLS', message: 'Error upgrading connection with STARTTLS' },
      { code: 'ETIMEDOUT', command: 'CONN', message: 'Greeting never received' },
      { code: 'EPROTOCOL', command: 'CONN', responseCode: 554, response: '554 no service' },
      { code: 'ECONNECTION', command: 'EHLO', responseCode: 421, response: '421 shutting down' },
      // 421 closes the session whatever it answers.
      { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 421, response: '421 4.3.2 going down' },
    ];
    for (const error of session) expect(smtpOutcome(error, false).kind).toBe('transport_unavailable');
    // Unknown trouble before the data is charged to the message, which has a bounded number of attempts.
    expect(smtpOutcome({ message: 'signer failed' }, false).kind).toBe('temporary');
    expect(
      smtpOutcome(
        { code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 452, response: '452 later' },
        false,
      ),
    ).toMatchObject({ kind: 'temporary', code: 452 });
  });

  it('takes 550/551/553 as hard without an enhanced code', () => {
    expect([550, 551, 552, 553, 554].map((code) => isHardBounce(code, `${code} nope`))).toEqual([
      true,
      true,
      false,
      true,
      false,
    ]);
    expect(isHardBounce(554, '554 5.2.1 mailbox disabled')).toBe(true);
  });
});

describe('trigger refs', () => {
  it('reads when a dormant or cart instance started', () => {
    expect(parseTriggerRef('dormant', 'lp1700000000000')).toEqual({ since: 1700000000000 });
    expect(parseTriggerRef('abandoned_cart', 'cartab@c@1700000000000')).toEqual({
      since: 1700000000000,
      cartId: 'ab@c',
    });
    expect(parseTriggerRef('back_in_stock', 'restock12')).toBeNull();
    expect(parseTriggerRef('dormant', 'something')).toBeNull();
  });
});

describe('MIME encodings', () => {
  it('keeps quoted-printable lines within 76 columns and encodes trailing space and =', () => {
    const out = quotedPrintable(`${'a='.repeat(60)}\nend with space \n${'é'.repeat(40)}`);
    for (const line of out.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(out).toContain('end with space=20');
    expect(out).not.toMatch(/[^\r]\n/);
    expect(out).not.toMatch(/[^\x20-\x7E\r\n]/);
  });

  it('splits encoded words on character boundaries, each at most 75 columns', () => {
    const words = encodedWords('🎉'.repeat(30)).split('\r\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      expect(word.length).toBeLessThanOrEqual(75);
      const bytes = atob(word.slice('=?UTF-8?B?'.length, -2));
      // Every word holds whole 4-byte emoji.
      expect(bytes.length % 4).toBe(0);
    }
  });

  it('folds long header values at spaces, never right after the name', () => {
    const line = headerLine(
      'List-Unsubscribe',
      `<https://x.example/${'u'.repeat(70)}>, <mailto:a@b.example>`,
    );
    expect(line.split('\r\n')[0]).toMatch(/^List-Unsubscribe: <https/);
    expect(line.split('\r\n')[1]).toBe(' <mailto:a@b.example>');
  });
});
