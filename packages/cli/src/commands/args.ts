import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIo } from '../io.js';
import { EXIT_USAGE } from '../io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed arguments of a command, or the exit code when they are wrong (after saying why). */
export function parseCommandArgs<O extends Options>(
  command: string,
  args: string[],
  options: O,
  io: CliIo,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } | number {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    io.stderr(`learnpath ${command}: ${(error as Error).message}\nRun "learnpath --help" for usage.\n`);
    return EXIT_USAGE;
  }
}
