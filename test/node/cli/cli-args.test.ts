// The argument handling every CLI command shares: required and unexpected
// positionals, and --step counted from 1.
import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseStepNumber } from '../../../src/cli/args.ts';

const line = {
  usage: 'usage: rekindle preview CAMPAIGN [--step N] [--json]',
  options: { step: { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['campaign'],
} as const;

describe('parseCommandLine', () => {
  it('returns the flags and the named positionals', () => {
    expect(parseCommandLine(['winback', '--step', '1', '--json'], line)).toEqual({
      values: { step: '1', json: true },
      positionals: ['winback'],
    });
  });

  it('names a missing positional and an unexpected one, with the usage', () => {
    expect(() => parseCommandLine([], line)).toThrow(`name a campaign; ${line.usage}`);
    expect(() => parseCommandLine(['winback', 'extra'], line)).toThrow(
      `unexpected argument 'extra'; ${line.usage}`,
    );
    expect(() => parseCommandLine(['x'], { usage: 'usage: rekindle send', options: {} })).toThrow(
      "unexpected argument 'x'; usage: rekindle send",
    );
  });
});

describe('parseStepNumber', () => {
  it('counts steps from 1, as the reports do: the first step when absent, refusing anything but a whole number >= 1', () => {
    expect(parseStepNumber(undefined)).toBe(0);
    expect(parseStepNumber('1')).toBe(0);
    expect(parseStepNumber('3')).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'two']) {
      expect(() => parseStepNumber(bad)).toThrow(`--step must be a step number (1 = first), got '${bad}'`);
    }
  });
});
