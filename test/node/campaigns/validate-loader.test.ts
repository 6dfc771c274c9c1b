import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Diagnostic, type LoadResult, loadCampaigns } from '../../../src/config/campaign-loader.ts';

const fixtures = 'test/fixtures/campaigns';
const emailsDir = join(fixtures, 'emails');
const load = (name: string) => loadCampaigns({ dir: join(fixtures, name), emailsDir });

function errorsOf(result: LoadResult): Diagnostic[] {
  if (result.ok) throw new Error('expected the campaigns to fail validation');
  return result.errors;
}

describe('loadCampaigns', () => {
  it('loads a valid folder: settings, campaigns sorted by id, disabled ones marked', async () => {
    const result = await load('valid');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.set.settings).toMatchObject({ currency: 'EUR', timezone: 'Europe/Berlin' });
    expect(result.set.campaigns.map((c) => [c.id, c.enabled])).toEqual([
      ['paused', false],
      ['winback', true],
      ['winback-vip', true],
    ]);
    expect(result.set.campaigns[1]?.steps[0]?.offer).toMatchObject({
      kind: 'amount_off',
      amount: { EUR: 550 },
    });
  });

  it('warns, at the priority line, when enabled campaigns of one trigger type share a priority', async () => {
    const result = await load('valid');
    expect(result.warnings).toEqual([
      {
        file: join(fixtures, 'valid', 'winback-vip.yml'),
        line: 2,
        column: 11,
        field: 'priority',
        message:
          'priority 10 is also the priority of winback, another enabled dormant campaign; ties are broken by id, so winback wins for customers both want',
      },
    ]);
  });

  it('warns, at the value, about a percent_off offer of 100: every order with the code is free', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rekindle-free-'));
    try {
      await cp(join(fixtures, 'valid'), dir, { recursive: true });
      await writeFile(
        join(dir, 'winback.yaml'),
        [
          'name: Winback',
          'priority: 11',
          'trigger: { type: dormant, days: 90 }',
          'offer: { kind: percent_off, value: 100, expires_after_days: 14, code_prefix: BACK }',
          'email: { template: winback.mjml, subject: "Hello {{ customer.first_name }}" }',
          '',
        ].join('\n'),
      );
      const result = await loadCampaigns({ dir, emailsDir });
      expect(result.ok).toBe(true);
      expect(result.warnings.filter((w) => w.field === 'offer.value')).toEqual([
        {
          file: join(dir, 'winback.yaml'),
          line: 4,
          column: 36,
          field: 'offer.value',
          message: 'offer.value is 100 percent off: every order with the code is free; is that meant?',
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('points a nested field at the line and column of its value', async () => {
    expect(errorsOf(await load('nested-error'))).toEqual([
      {
        file: join(fixtures, 'nested-error', 'cart.yaml'),
        line: 7,
        column: 20,
        field: 'trigger.steps[1].delay_hours',
        message: "trigger.steps[1].delay_hours must be more than the previous step's delay_hours (4), got 2",
      },
    ]);
  });

  it('points an unknown key at the key, and a missing field at its parent key', async () => {
    const errors = errorsOf(await load('unknown-key'));
    expect(errors.map((e) => [e.line, e.column, e.field])).toEqual([
      [2, 1, 'trigger.days'],
      [4, 3, 'trigger.dayz'],
    ]);
    expect(errors[1]?.message).toMatch(/^trigger\.dayz is not a known field \(did you mean 'days'\?/);
  });

  it('reports YAML syntax errors with their position and still loads the other files', async () => {
    // Written at test time: a broken YAML file in the tree would fail `biome check`.
    const dir = await mkdtemp(join(tmpdir(), 'rekindle-yaml-'));
    try {
      await cp(join(fixtures, 'syntax-error'), dir, { recursive: true });
      await writeFile(
        join(dir, 'broken.yaml'),
        'name: Broken\ntrigger: { type: dormant, days: 90\nemail: { template: winback.mjml, subject: Hi }\n',
      );
      const result = await loadCampaigns({ dir, emailsDir });
      const errors = errorsOf(result);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file: join(dir, 'broken.yaml'), line: 3, column: 1, field: '' });
      expect(errors[0]?.message).toMatch(/^YAML syntax error: Flow map .* must .* end with a \}/);
      expect(result.campaigns.map((c) => c.id)).toEqual(['fine']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives one plain message per broken YAML file, at the line to fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rekindle-yaml-'));
    const broken: Record<string, string> = {
      'outdented.yaml':
        'name: O\nemail:\n  template: winback.mjml\n subject: Hi\ntrigger: { type: dormant, days: 9 }\n',
      'steps.yaml':
        'name: S\ntrigger:\n  type: abandoned_cart\n  steps:\n    - delay_hours: 1\n      email: { template: cart-1.mjml, subject: a }\n    - delay_hours: 24\n     email: { template: cart-2.mjml, subject: b }\n',
      'colon.yaml':
        'name: Sale: 20% off\ntrigger: { type: dormant, days: 9 }\nemail: { template: winback.mjml, subject: Hi }\n',
      'twice.yaml':
        'name: A\nname: B\ntrigger: { type: dormant, days: 9 }\nemail: { template: winback.mjml, subject: Hi }\n',
    };
    try {
      await cp(join(fixtures, 'syntax-error'), dir, { recursive: true });
      for (const [name, text] of Object.entries(broken)) await writeFile(join(dir, name), text);
      const errors = errorsOf(await loadCampaigns({ dir, emailsDir }));
      expect(errors.map((e) => `${e.file.slice(dir.length + 1)}:${e.line}:${e.column} ${e.message}`)).toEqual(
        [
          "colon.yaml:1:7 YAML syntax error: this value holds ': ', which YAML reads as the start of another key; put the value in quotes",
          "outdented.yaml:4:2 YAML syntax error: bad indentation: 'subject' is indented 1 space, but the keys around it are at 2 spaces ('template', line 3) and 0 spaces ('email', line 2); keys of one block must start in the same column",
          "steps.yaml:8:6 YAML syntax error: bad indentation: 'email' is indented 5 spaces, but the keys around it are at 6 spaces ('delay_hours', line 7) and 4 spaces (the list item, line 7); keys of one block must start in the same column",
          'twice.yaml:2:1 YAML syntax error: this key is given twice in the same block; keep one',
        ],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing template at the template: line, naming the file', async () => {
    const [error, ...rest] = errorsOf(await load('missing-template'));
    expect(rest).toEqual([]);
    expect(error).toMatchObject({
      file: join(fixtures, 'missing-template', 'winback.yaml'),
      line: 5,
      column: 13,
      field: 'email.template',
    });
    expect(error?.message).toContain(`names 'winbak.mjml', which is not a file in '${emailsDir}'`);
    expect(error?.message).toContain('winback.mjml');
  });

  it('refuses two files with the same campaign id', async () => {
    const result = await load('duplicate');
    expect(errorsOf(result)).toEqual([
      {
        file: join(fixtures, 'duplicate', 'winback.yml'),
        line: 1,
        column: 1,
        field: '',
        message: `duplicate campaign id 'winback': ${join(fixtures, 'duplicate', 'winback.yaml')} already defines it`,
      },
    ]);
    expect(result.campaigns.map((c) => c.file)).toEqual([join(fixtures, 'duplicate', 'winback.yaml')]);
  });

  it('requires the settings file', async () => {
    const [error] = errorsOf(await load('no-settings'));
    expect(error).toMatchObject({ file: join(fixtures, 'no-settings', 'settings.yaml'), line: 1, column: 1 });
    expect(error?.message).toMatch(/^the shop settings file is missing/);
  });

  it('reports empty files, empty values, bad Liquid and bad file names, all at once', async () => {
    const errors = errorsOf(await load('more-errors'));
    expect(errors.map((e) => [e.file.split('/').pop(), e.line, e.column, e.field])).toEqual([
      ['Bad_Name.yaml', 1, 1, ''],
      ['empty-value.yaml', 4, 3, 'trigger.days'],
      ['empty.yaml', 1, 1, ''],
      ['subject.yaml', 5, 12, 'email.subject'],
    ]);
    expect(errors[1]?.message).toBe('trigger.days must be a whole number of days >= 1, got an empty value');
    expect(errors[3]?.message).toBe(
      "email.subject is not valid Liquid: unknown filter 'defualt' (did you mean 'default'?)",
    );
  });

  it('reports a missing folder instead of throwing', async () => {
    const [error] = errorsOf(await load('does-not-exist'));
    expect(error?.message).toBe(`campaigns folder not found: '${join(fixtures, 'does-not-exist')}'`);
  });
});

describe('the shipped campaigns folder', () => {
  it('validates clean against the shipped emails', async () => {
    const result = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    expect(result.warnings).toEqual([]);
    const byId = Object.fromEntries(result.set.campaigns.map((c) => [c.id, c]));
    expect(Object.keys(byId)).toEqual([
      'abandoned-cart',
      'back-in-stock',
      'browse-abandonment',
      'early-access',
      'new-arrivals',
      'price-drop',
      'replenishment',
      'winback',
    ]);

    expect(byId.winback).toMatchObject({
      trigger: { type: 'dormant', days: 90, maxDays: 365 },
      holdoutPercent: 10,
      cooldownDays: 60,
      attributionDays: 7,
      steps: [
        {
          email: { template: 'winback.mjml' },
          offer: { kind: 'percent_off', percent: 15, codePrefix: 'BACK' },
        },
      ],
    });
    const cart = byId['abandoned-cart'];
    expect(
      cart?.steps.map((s) => [s.delayHours, s.offer?.kind ?? null, s.offer?.codePrefix ?? null]),
    ).toEqual([
      [1, null, null],
      [24, 'percent_off', 'CART'],
      [72, 'free_shipping', 'CARTSHIP'],
    ]);
    expect(byId['back-in-stock']?.trigger).toEqual({
      type: 'back_in_stock',
      includeCarts: true,
      allocation: { mode: 'per_unit', factor: 1 },
    });
  });
});
