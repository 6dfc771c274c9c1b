// The fast Liquid compiler answers exactly like liquidjs for everything it
// accepts, and declines (null) what it does not cover.
import { describe, expect, it } from 'vitest';
import { compileFastLiquid } from '../../../src/adapters/templates/fast-liquid.ts';
import { createLiquidEngines } from '../../../src/adapters/templates/liquid-engines.ts';

const engines = createLiquidEngines();

const templates = [
  'Hi {{ name }}!',
  '{{ name | default: "friend" }} / {{ missing | default: fallback }} / {{ blankish | default: "e" }} / {{ list0 | default: "none" }}',
  '{{ name | downcase }} {{ name | upcase }} {{ lower | capitalize }} [{{ spaced | strip }}] {{ name | escape }}',
  '{{ html }} {{ html | raw }} {{ n }} {{ f }} {{ t }} {{ no }} {{ list }} {{ obj.a.b }} {{ obj["a"].b }}',
  '{% if name %}yes{% else %}no{% endif %}|{% if missing %}yes{% elsif t %}elsif{% else %}no{% endif %}',
  '{% if list.size > 0 and t %}both{% endif %}{% if no or missing %}x{% else %}neither{% endif %}',
  '{% if n == 3 %}three{% endif %}{% if n != 3 %}not{% endif %}{% if n >= 3 %}ge{% endif %}{% if n < 3 %}lt{% endif %}{% if name == "Ann" %}ann{% endif %}{% if missing == nil %}nil{% endif %}',
  '{% unless no %}unless{% endunless %}{% unless t %}x{% else %}else{% endunless %}',
  '{% for item in list %}{{ forloop.index }}:{{ item }}{% if forloop.last %}.{% else %}, {% endif %}{% endfor %}',
  '{% for p in items %}<li>{{ p.title }} {{ p.price.display }}</li>{% endfor %}{% for x in missing %}never{% endfor %}',
  '{% assign first = items[0] %}{{ first.title }} {{ items[1].title }} {{ items.first.title }} {{ items.last.title }} {{ list[-1] }}',
  '{% for p in items %}{% assign seen = p.title %}{% endfor %}{{ seen }}',
  '  <p>\n  {%- if t -%}\n  trimmed\n  {%- endif %}\n  </p>{{- name -}}  .',
  '{{ name.size }} {{ list.size }} {{ obj.size }} {{ "lit" }} {{ 5 }} {{ nil }} {{ true }}',
  '{% for c in name %}[{{ c }}]{% endfor %}',
  '{{ name }} {% assign name = "Bo" %}{{ name }} {% for n in list %}{{ n }}{% endfor %}',
  '{{ n }}|{% for n in list %}{{ n }}{{ forloop.index }}{% endfor %}|{{ n }}|{{ forloop.index }}',
];

const scope = {
  name: 'Ann',
  lower: 'hELLO',
  spaced: '  pad  ',
  blankish: '',
  list0: [],
  fallback: 'from scope',
  html: '<b>"x" & \'y\'</b>',
  n: 3,
  f: 2.5,
  t: true,
  no: false,
  list: ['a', 'b', 'c'],
  obj: { a: { b: 'deep' } },
  items: [
    { title: 'Mug <1>', price: { display: '£12.00' } },
    { title: 'Tea', price: { display: '£9.50' } },
  ],
};

describe('fast Liquid', () => {
  it.each(templates)('renders %j like liquidjs, escaped and not', (source) => {
    for (const [escapes, engine] of [
      [true, engines.html],
      [false, engines.text],
    ] as const) {
      const fast = compileFastLiquid(source, { escape: escapes });
      expect(fast, source).not.toBeNull();
      expect(fast!(scope)).toBe(engine.parseAndRenderSync(source, scope));
    }
  });

  it('gives each recipient their own output when one compiled template renders many', () => {
    const source = '<p>{{ name }} {{ html }}</p>{% for item in items %}{{ item.title }}{% endfor %}';
    const fast = compileFastLiquid(source, { escape: true })!;
    const names = ['Ann', '<b>', 'Ann', '', '<b>', 'Zoë & co'];
    for (const [i, name] of names.entries()) {
      const view = { ...scope, name, html: names[(i + 1) % names.length], items: scope.items.slice(i % 2) };
      expect(fast(view), name).toBe(engines.html.parseAndRenderSync(source, view));
    }
  });

  it('never reads prototype properties, like liquidjs', () => {
    const source = '{{ obj.constructor }}|{{ obj.toString }}|{{ list.map }}';
    expect(compileFastLiquid(source, { escape: true })!(scope)).toBe(
      engines.html.parseAndRenderSync(source, scope),
    );
  });

  it.each([
    '{% capture x %}a{% endcapture %}',
    '{% for i in (1..3) %}{{ i }}{% endfor %}',
    '{% for x in list limit: 2 %}{{ x }}{% endfor %}',
    '{{ name | truncate: 3 }}',
    '{% if list == empty %}e{% endif %}',
    '{% if a and b or c %}x{% endif %}',
    '{% raw %}{{ x }}{% endraw %}',
    '{% if x %}unclosed',
  ])('declines %j so liquidjs handles it', (source) => {
    expect(compileFastLiquid(source, { escape: true })).toBeNull();
  });
});
