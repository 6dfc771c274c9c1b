import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner, type TokenSigner } from '../../src/core/tracking/tokens.ts';
import { trackLinks } from '../../src/core/tracking/track-links.ts';

const base = 'https://mail.shop.example';
let signer: TokenSigner;

beforeAll(async () => {
  signer = await createTokenSigner('a-test-secret-of-enough-length');
});

function hrefs(html: string): string[] {
  // Quote-aware, like the code under test: a title may hold '>'.
  return [...html.matchAll(/<a\b(?:[^>"']|"[^"]*"|'[^']*')*?\shref="([^"]*)"/gi)].map((m) => m[1]!);
}

async function claimOf(url: string) {
  const match = /\/t\/(?:c|o)\/([^".]+(?:\.[A-Za-z0-9_-]+)?)(?:\.gif)?$/.exec(url);
  if (!match) throw new Error(`not a tracking URL: ${url}`);
  return signer.verify(match[1]!);
}

describe('trackLinks', () => {
  const unsubscribe = `${base}/u/signed.token`;
  const html = [
    '<html><body>',
    '<a href="https://shop.example/p/1?utm=a&amp;b=2" class="btn">Shop</a>',
    "<a class='x' href='https://shop.example/cart'>Cart</a>",
    '<a href="mailto:help@shop.example">Mail us</a>',
    '<a href="tel:+441234">Call</a>',
    '<a href="#top">Top</a>',
    '<a title="a > b" href="https://shop.example/p/1?utm=a&amp;b=2">Again</a>',
    `<a href="${unsubscribe}">Unsubscribe</a>`,
    '<a name="anchor">No href</a>',
    '<img src="https://shop.example/logo.png">',
    '</body></html>',
  ].join('\n');

  it('rewrites each http(s) link to a signed click URL and returns the originals by index', async () => {
    const tracked = await trackLinks({ html, messageId: 'msg-1', signer, baseUrl: `${base}/` });
    expect(tracked.links).toEqual(['https://shop.example/p/1?utm=a&b=2', 'https://shop.example/cart']);
    const out = hrefs(tracked.html);
    expect(out).toHaveLength(5);
    expect(out[0]).toMatch(/^https:\/\/mail\.shop\.example\/t\/c\//);
    expect(await claimOf(out[0]!)).toEqual({ purpose: 'click', messageId: 'msg-1', linkIndex: 0 });
    expect(await claimOf(out[1]!)).toEqual({ purpose: 'click', messageId: 'msg-1', linkIndex: 1 });
    // The same URL twice shares one index.
    expect(out[3]).toBe(out[0]);
    // Only http(s) links stay links: mailto: and tel: lose their href, a fragment stays.
    expect(out[2]).toBe('#top');
    expect(tracked.html).toContain('<a>Mail us</a>');
    expect(tracked.html).toContain('<a>Call</a>');
    expect(out[4]).toBe(unsubscribe);
    expect(tracked.html).toContain('<img src="https://shop.example/logo.png">');
    expect(tracked.html).toContain('title="a > b"');
  });

  it('puts a 1x1 open pixel just before </body>', async () => {
    const tracked = await trackLinks({ html, messageId: 'msg-1', signer, baseUrl: base });
    const pixel = /<img src="([^"]+)" width="1" height="1" alt="" style="display:block"><\/body>/.exec(
      tracked.html,
    );
    expect(pixel).not.toBeNull();
    expect(pixel![1]).toMatch(/^https:\/\/mail\.shop\.example\/t\/o\/.+\.gif$/);
    expect(await claimOf(pixel![1]!)).toEqual({ purpose: 'open', messageId: 'msg-1' });
  });

  it('appends the pixel when there is no </body>', async () => {
    const tracked = await trackLinks({ html: '<p>hi</p>', messageId: 'm', signer, baseUrl: base });
    expect(tracked.html).toMatch(/^<p>hi<\/p><img src="[^"]+\.gif" width="1"/);
    expect(tracked.links).toEqual([]);
  });

  it('rewrites the same URLs in the text part and leaves the rest alone', async () => {
    const text = [
      'Shop now: https://shop.example/p/1?utm=a&b=2.',
      'Cart [https://shop.example/cart]',
      'Other https://shop.example/cart/more',
      `Unsubscribe: ${unsubscribe}`,
    ].join('\n');
    const tracked = await trackLinks({ html, text, messageId: 'msg-1', signer, baseUrl: base });
    const out = hrefs(tracked.html);
    const lines = tracked.text!.split('\n');
    expect(lines[0]).toBe(`Shop now: ${out[0]}.`);
    expect(lines[1]).toBe(`Cart [${out[1]}]`);
    expect(lines[2]).toBe('Other https://shop.example/cart/more');
    expect(lines[3]).toBe(`Unsubscribe: ${unsubscribe}`);
  });

  it('leaves an unsubscribe link it signed alone, whatever host serves it', async () => {
    const token = await signer.sign({ purpose: 'unsubscribe', messageId: 'msg-1' });
    const elsewhere = `https://unsubscribe.shop.example/u/${token}`;
    const lookalike = `https://unsubscribe.shop.example/u/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const tracked = await trackLinks({
      html: `<a href="${elsewhere}">Unsubscribe</a><a href="${lookalike}">Other</a>`,
      messageId: 'msg-1',
      signer,
      baseUrl: base,
    });
    expect(tracked.links).toEqual([lookalike]);
    expect(hrefs(tracked.html)[0]).toBe(elsewhere);
  });

  it('returns no text when none was given', async () => {
    const tracked = await trackLinks({ html, messageId: 'msg-1', signer, baseUrl: base });
    expect(tracked.text).toBeUndefined();
  });

  it('never tracks or keeps as a link an href that is not a safe link', async () => {
    const tricks = [
      'javascript:alert(document.cookie)',
      'JAVASCRIPT:alert(1)',
      '  javascript:alert(1)',
      'java&#x09;script:alert(1)',
      'java&Tab;script:alert(1)',
      '&#106;avascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox(1)',
      '//evil.example/',
      'https:evil.example',
    ];
    const html = tricks.map((href, i) => `<a class="c${i}" href="${href}">x${i}</a>`).join('');
    const tracked = await trackLinks({ html, messageId: 'm3', signer, baseUrl: base });
    expect(tracked.links).toEqual([]);
    expect(hrefs(tracked.html)).toEqual([]);
    for (let i = 0; i < tricks.length; i++) expect(tracked.html).toContain(`<a class="c${i}">x${i}</a>`);
    expect(tracked.html).not.toMatch(/script|data:|evil/i);
  });

  it('handles unquoted and upper-case href attributes', async () => {
    const tracked = await trackLinks({
      html: '<A HREF=https://shop.example/x>x</A><body></BODY>',
      messageId: 'm2',
      signer,
      baseUrl: base,
    });
    expect(tracked.links).toEqual(['https://shop.example/x']);
    expect(tracked.html).toMatch(/^<A HREF="https:\/\/mail\.shop\.example\/t\/c\/[^"]+">x<\/A><body><img /);
  });
});
