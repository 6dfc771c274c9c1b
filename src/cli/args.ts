// Argument handling shared by the CLI commands: node's parseArgs with --help
// added, the usage line for --help, and the same errors for a missing or an
// unexpected positional argument in every command.
import { type ParseArgsConfig, parseArgs } from 'node:util';
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

/**
 * The command's flags and positionals, or undefined when --help asked for the
 * usage (it has been printed; the command should exit 0).
 */
export function parseCommandLine<const O extends Flags>(
  argv: string[],
  io: CliIO,
  line: CommandLine<O>,
): { values: Parsed<O>['values']; positionals: string[] } | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...line.options, help: { type: 'boolean' } } as Flags,
    allowPositionals: true,
  });
  if ((values as { help?: boolean }).help) {
    io.stdout.write(`${line.usage}\n`);
    return undefined;
  }
  const names = line.positionals ?? [];
  const missing = names[positionals.length];
  if (missing !== undefined) throw new UsageError(`name a ${missing}; ${line.usage}`);
  const extra = positionals[names.length];
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'; ${line.usage}`);
  return { values: values as Parsed<O>['values'], positionals };
}

/** --step N: a campaign step index, 0 (the first) when absent. */
export function parseStepIndex(value: string | undefined): number {
  const step = value === undefined ? 0 : Number(value);
  if (!Number.isInteger(step) || step < 0) {
    throw new UsageError(`--step must be a step index (0 = first), got '${value}'`);
  }
  return step;
}
