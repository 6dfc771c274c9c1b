import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRekindle } from './support/cli.ts';

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

  it('validates the shipped campaigns by default', async () => {
    const run = await rekindle('validate');
    expect(run.stdout).toBe('3 campaigns OK\n');
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
