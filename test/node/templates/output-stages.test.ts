// The streamed passes over a filled template's output give the same bytes as
// the whole-string passes (their oracles) on random templates and values, and
// decline what they cannot stream.
import { describe, expect, it } from 'vitest';
import { compileFastLiquid, type OutputStage } from '../../../src/adapters/templates/fast-liquid.ts';
import { tidyText } from '../../../src/adapters/templates/html-to-text.ts';
import {
  conditionalMergeStage,
  mergeConditionals,
  tidyTextStage,
} from '../../../src/adapters/templates/output-stages.ts';

/** A small seeded generator, so a failure names a case that can be run again. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    count: (max: number) => Math.floor(next() * (max + 1)),
  };
}

type Random = ReturnType<typeof random>;

/** A random template over `bits` and outputs of v0..v3, with ifs and a for that may nest. */
function template(r: Random, bits: readonly string[], depth = 0): string {
  let out = '';
  for (let i = r.count(6); i > 0; i--) {
    const kind = r.count(depth < 2 ? 9 : 6);
    if (kind <= 3) out += r.pick(bits) + r.pick(bits);
    else if (kind <= 5) out += r.pick(['{{ v0 }}', '{{ v1 }}', '{{- v2 }}', '{{ v3 -}}', '{{ missing }}']);
    else if (kind === 6) out += r.pick(bits);
    else if (kind === 7) out += `{% if t${r.count(1)} %}${template(r, bits, depth + 1)}{% endif %}`;
    else if (kind === 8) {
      out += `{% if t${r.count(1)} %}${template(r, bits, depth + 1)}{% else %}${template(r, bits, depth + 1)}{% endif %}`;
    } else out += `{% for x in list %}${template(r, bits, depth + 1)}{{ x }}{% endfor %}`;
  }
  return out;
}

function scope(r: Random, values: readonly string[]) {
  return {
    v0: r.pick(values),
    v1: r.pick(values),
    v2: r.pick(values),
    v3: r.pick(values),
    t0: r.count(1) === 1,
    t1: r.count(1) === 1,
    list: Array.from({ length: r.count(2) }, () => r.pick(values)),
  };
}

/** Renders random templates streamed and plain; how many the stage took. */
function agree(
  bits: readonly string[],
  values: readonly string[],
  escapes: boolean,
  stage: () => OutputStage,
  oracle: (out: string) => string,
): number {
  let streamed = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const r = random(seed);
    const source = template(r, bits);
    const plain = compileFastLiquid(source, { escape: escapes })!;
    const staged = compileFastLiquid(source, { escape: escapes, stage: stage() });
    if (!staged) continue;
    streamed++;
    for (let n = 0; n < 4; n++) {
      const view = scope(r, values);
      expect(staged(view), `seed ${seed}: ${JSON.stringify(source)} ${JSON.stringify(view)}`).toBe(
        oracle(plain(view)),
      );
    }
  }
  return streamed;
}

describe('tidying the text part, streamed', () => {
  const bits = [' ', '  ', '\t', '\n', '\n\n\n', ' \n ', 'a', 'b c', '\r', '\u00a0', 'é', '😀', '-'];
  const values = ['', ' ', 'x', ' x ', 'a\tb', 'a  b', 'a\n\n\n\nb', '\n', '\u00a0y', 'Zoë 😀', '\r\n'];

  it('gives what tidyText gives over the whole text', () => {
    // The text stage takes every template the fast compiler takes.
    expect(agree(bits, values, false, tidyTextStage, tidyText)).toBe(3000);
  });
});

describe('merging Outlook conditionals, streamed', () => {
  const bits = [
    '<![endif]-->',
    '<!--[if mso | IE]>',
    '<![endif]--> ',
    '\n    ',
    ' ',
    '\u00a0',
    '<td>',
    '</td>',
    'x',
    '<!--[if mso | IE]><table><![endif]-->',
  ];
  const values = ['', ' ', '\n', 'x', '<b>', '\u00a0', '"&"'];

  it('gives what the regex gives over the whole HTML', () => {
    const streamed = agree(bits, values, true, conditionalMergeStage, mergeConditionals);
    // Literals that merge inside themselves are declined; most random templates are still streamed.
    expect(streamed).toBeGreaterThan(1000);
  });

  it('declines raw output, a marker cut by Liquid and a literal that merges inside', () => {
    const stage = conditionalMergeStage;
    expect(compileFastLiquid('<![endif]-->{{ v | raw }}', { escape: true, stage: stage() })).toBeNull();
    expect(compileFastLiquid('<![endif]{{ v }}-->', { escape: true, stage: stage() })).toBeNull();
    expect(
      compileFastLiquid('<!--[if mso{% if t %}{% endif %} | IE]>', { escape: true, stage: stage() }),
    ).toBeNull();
    expect(
      compileFastLiquid('<![endif]--> <!--[if mso | IE]>{{ v }}', { escape: true, stage: stage() }),
    ).toBeNull();
    const ok = compileFastLiquid('a<![endif]-->\n{% if t %} {% endif %}\n<!--[if mso | IE]>b', {
      escape: true,
      stage: stage(),
    });
    expect(ok?.({ t: true })).toBe('ab');
  });
});
