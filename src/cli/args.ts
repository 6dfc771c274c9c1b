// Argument handling shared by the CLI commands: node's parseArgs, and the same
// errors for a missing or an unexpected positional argument in every command.
// --help never reaches a command: src/cli/main.ts answers it from
// src/cli/commands.ts before anything is loaded.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseInstant } from '../core/time.ts';
import { type CliIO, UsageError } from './io.ts';

type Flags = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Flags> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>
>;

export interface CommandLine<O extends Flags> {
  usage: string;
  options: O;
  /** The positional arguments the command takes, in order; each is required. */
  positionals?: readonly string[];
}

/** The command's flags and positionals; a missing or unexpected positional is a usage error. */
export function parseCommandLine<const O extends Flags>(
  argv: string[],
  line: CommandLine<O>,
): { values: Parsed<O>['values']; positionals: string[] } {
  const { values, positionals } = parseArgs({ args: argv, options: line.options, allowPositionals: true });
  const names = line.positionals ?? [];
  const missing = names[positionals.length];
  if (missing !== undefined) throw new UsageError(`name a ${missing}; ${line.usage}`);
  const extra = positionals[names.length];
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'; ${line.usage}`);
  return { values: values as Parsed<O>['values'], positionals };
}

/** --step N: a campaign step by its number, 1 for the first (as reports and the dashboard count); returns its index. */
export function parseStepNumber(value: string | undefined): number {
  const step = value === undefined ? 1 : Number(value);
  if (!Number.isInteger(step) || step < 1) {
    throw new UsageError(`--step must be a step number (1 = first), got '${value}'`);
  }
  return step - 1;
}

/** --now ISO: the instant a command acts as if it were (the clock when absent). */
export function parseNowOption(text: string | undefined, io: CliIO): number {
  if (text === undefined) return io.now();
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new UsageError(`--now: ${parsed.reason}`);
  return parsed.value;
}
