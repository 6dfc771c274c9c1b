import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRekindle } from '../support/cli.ts';

const fixtures = 'test/fixtures/campaigns';
const emails = join(fixtures, 'emails');

// The campaign folders come from the flags, never from the environment.
const rekindle = (...args: string[]) =>
  runRekindle(args, { CAMPAIGNS_DIR: undefined, EMAILS_DIR: undefined });

describe('rekindle validate', () => {
  it('exits 0 on a valid folder, printing warnings and a summary', async () => {
    const run = await rekindle('validate', '--dir', join(fixtures, 'valid'), '--emails', emails);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual([
      `${join(fixtures, 'valid', 'winback-vip.yml')}:2:11 warning: priority 10 is also the priority of winback, another enabled dormant campaign; ties are broken by id, so winback wins for customers both want`,
      '3 campaigns OK (1 disabled), 1 warning',
      '',
    ]);
    expect(run.code).toBe(0);
  });

  it('with a shop checkout configured, warns at each offer figure in a currency the checkout cannot carry', async () => {
    const env = { CAMPAIGNS_DIR: undefined, EMAILS_DIR: undefined };
    const args = ['validate', '--dir', 'campaigns', '--emails', 'emails'];
    const shopify = await runRekindle(args, {
      ...env,
      SHOPIFY_SHOP_DOMAIN: 'my-shop.myshopify.com',
      SHOPIFY_ADMIN_TOKEN: 'shpat_test',
    });
    expect(shopify.code).toBe(0);
    const warnings = shopify.stdout
      .split('\n')
      .filter((line) => line.includes('checkout counts coupon amounts'));
    // The shipped win-back gives GBP, EUR and USD minimums in a GBP shop: EUR and USD are warned, at their values.
    expect(warnings).toEqual([
      expect.stringMatching(
        /^campaigns\/winback\.yaml:\d+:\d+ warning: offer\.min_subtotal\.EUR: the Shopify checkout counts coupon amounts in GBP, so a code for a customer who buys in EUR cannot be made there/,
      ),
      expect.stringMatching(/^campaigns\/winback\.yaml:\d+:\d+ warning: offer\.min_subtotal\.USD: /),
    ]);
    // Without a checkout making the codes, the same files warn about nothing of the kind.
    const plain = await runRekindle(args, env);
    expect(plain.stdout).not.toContain('checkout counts coupon amounts');
  });

  it('exits 1 on errors, printing file:line:col lines like a compiler', async () => {
    const run = await rekindle('validate', '--dir', join(fixtures, 'unknown-key'), '--emails', emails);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `${join(fixtures, 'unknown-key', 'winback.yaml')}:2:1 trigger.days is required: a whole number of days >= 1`,
    );
    expect(lines[1]).toMatch(/unknown-key\/winback\.yaml:4:3 trigger\.dayz is not a known field/);
    expect(lines[2]).toBe('2 errors; 0 campaigns OK');
    expect(run.code).toBe(1);
  });

  it('--json gives campaigns, errors and warnings', async () => {
    const ok = await rekindle('validate', '--dir', join(fixtures, 'valid'), '--emails', emails, '--json');
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({ ok: true, errors: [] });
    expect(report.campaigns).toEqual([
      { id: 'paused', name: 'Paused cart reminder', trigger: 'abandoned_cart', enabled: false },
      { id: 'winback', name: 'Winback', trigger: 'dormant', enabled: true },
      { id: 'winback-vip', name: 'Winback for VIPs', trigger: 'dormant', enabled: true },
    ]);
    expect(report.warnings).toHaveLength(1);

    const bad = await rekindle(
      'validate',
      '--dir',
      join(fixtures, 'missing-template'),
      '--emails',
      emails,
      '--json',
    );
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      ok: false,
      campaigns: [],
      errors: [{ line: 5, column: 13, field: 'email.template' }],
    });
  });

  // One case folder per mistake a marketer makes; each prints one line that names file, line and fix.
  const validate = async (folder: string) => {
    const run = await rekindle('validate', '--dir', join(fixtures, folder), '--emails', emails);
    return { code: run.code, lines: run.stdout.trimEnd().split('\n') };
  };

  it('fails exclude_if_messaged_by naming a campaign that does not exist, or itself', async () => {
    const file = join(fixtures, 'unknown-excluded-campaign', 'winback-vip.yaml');
    expect(await validate('unknown-excluded-campaign')).toEqual({
      code: 1,
      lines: [
        `${file}:4:39 exclude_if_messaged_by.campaigns[0] names 'winbak', which is not a campaign in this folder (did you mean 'winback'?); campaigns: winback`,
        `${file}:4:47 exclude_if_messaged_by.campaigns[1] names this campaign itself; cooldown_days is what keeps a campaign from mailing a customer again too soon`,
        '2 errors; 1 campaign OK',
      ],
    });
  });

  it('fails a misspelt variable in a subject line, with a did-you-mean', async () => {
    expect(await validate('misspelled-subject')).toEqual({
      code: 1,
      lines: [
        `${join(fixtures, 'misspelled-subject', 'winback.yaml')}:5:12 email.subject: unknown field 'frist_name' in customer.frist_name (did you mean 'first_name'?); customer has id, first_name, last_name, email`,
        '1 error; 0 campaigns OK',
      ],
    });
  });

  it('fails a misspelt variable in a partial, blaming the partial and its line', async () => {
    expect(await validate('misspelled-variable')).toEqual({
      code: 1,
      lines: [
        `${join(emails, 'partials', 'greeting.mjml')}:2:43 unknown variable 'custmer' (did you mean 'customer'?); this email has customer, shop, campaign, offer, recommended, links`,
        '1 error; 0 campaigns OK',
      ],
    });
  });

  it('fails an unknown filter in a template and in a subject, with a did-you-mean', async () => {
    expect(await validate('unknown-filter')).toEqual({
      code: 1,
      lines: [
        `${join(emails, 'shouting.mjml')}:5:18 Liquid syntax error: unknown filter 'dowcase' (did you mean 'downcase'?)`,
        `${join(fixtures, 'unknown-filter', 'winback.yaml')}:3:44 email.subject is not valid Liquid: unknown filter 'upcse' (did you mean 'upcase'?)`,
        '2 errors; 0 campaigns OK',
      ],
    });
  });

  it('says once that tabs are not allowed for indentation, at the first tab', async () => {
    expect(await validate('tab-indent')).toEqual({
      code: 1,
      lines: [
        `${join(fixtures, 'tab-indent', 'winback.yaml')}:3:1 YAML syntax error: tabs are not allowed for indentation in YAML; use spaces (3 more lines below too)`,
        '1 error; 0 campaigns OK',
      ],
    });
  });

  it('points a misaligned key at its own line, once, in words', async () => {
    expect(await validate('bad-indent')).toEqual({
      code: 1,
      lines: [
        `${join(fixtures, 'bad-indent', 'winback.yaml')}:4:4 YAML syntax error: bad indentation: 'days' is indented 3 spaces, deeper than 'type' on line 3 (2 spaces), which already has a value; keys of one block must start in the same column`,
        '1 error; 0 campaigns OK',
      ],
    });
  });

  it('blames an MJML tag typo on the partial that has it, without follow-on errors', async () => {
    expect(await validate('mjml-typo')).toEqual({
      code: 1,
      lines: [
        `${join(emails, 'partials', 'left-column.mjml')}:1:1 MJML: Element mj-colum doesn't exist or is not registered`,
        '1 error; 0 campaigns OK',
      ],
    });
  });

  it('validates the shipped campaigns by default', async () => {
    const run = await rekindle('validate');
    expect(run.stdout).toBe('8 campaigns OK\n');
    expect(run.code).toBe(0);
  });

  it('--reference prints the generated field reference', async () => {
    const run = await rekindle('validate', '--reference');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^## Campaign files: `campaigns\/<id>\.yaml`/);
    expect(run.stdout).toContain('| `trigger.days` | a whole number of days >= 1 | required |');
  });

  it('exits 2 on an unknown option', async () => {
    const run = await rekindle('validate', '--directory', 'x');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rekindle: .*--directory/);
  });
});
