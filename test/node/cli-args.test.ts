// The argument handling every CLI command shares: --help, required and
// unexpected positionals, and --step.
import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseStepIndex } from '../../src/cli/args.ts';
import type { CliIO } from '../../src/cli/io.ts';

function fakeIo() {
  let out = '';
  const io = { stdout: { write: (text: string) => (out += text) } } as unknown as CliIO;
  return { io, output: () => out };
}

const line = {
  usage: 'usage: rekindle preview CAMPAIGN [--step N] [--json]',
  options: { step: { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['campaign'],
} as const;

describe('parseCommandLine', () => {
  it('prints the usage for --help and returns nothing to run', () => {
    const { io, output } = fakeIo();
    expect(parseCommandLine(['--help'], io, line)).toBeUndefined();
    expect(output()).toBe(`${line.usage}\n`);
  });

  it('returns the flags and the named positionals', () => {
    const { io } = fakeIo();
    expect(parseCommandLine(['winback', '--step', '1', '--json'], io, line)).toEqual({
      values: { step: '1', json: true },
      positionals: ['winback'],
    });
  });

  it('names a missing positional and an unexpected one, with the usage', () => {
    const { io } = fakeIo();
    expect(() => parseCommandLine([], io, line)).toThrow(`name a campaign; ${line.usage}`);
    expect(() => parseCommandLine(['winback', 'extra'], io, line)).toThrow(
      `unexpected argument 'extra'; ${line.usage}`,
    );
    expect(() => parseCommandLine(['x'], io, { usage: 'usage: rekindle send', options: {} })).toThrow(
      "unexpected argument 'x'; usage: rekindle send",
    );
  });
});

describe('parseStepIndex', () => {
  it('defaults to the first step and refuses anything but a whole number >= 0', () => {
    expect(parseStepIndex(undefined)).toBe(0);
    expect(parseStepIndex('2')).toBe(2);
    for (const bad of ['-1', '1.5', 'two']) {
      expect(() => parseStepIndex(bad)).toThrow(`--step must be a step index (0 = first), got '${bad}'`);
    }
  });
});
