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
    io.stderr(`learnpath ${command}: ${describeArgsError(error as Error & { code?: string })}\nRun "learnpath ${command} --help" for usage.\n`);
    return EXIT_USAGE;
  }
}

// Node's own messages quote unevenly and suggest `--` tricks; say what was wrong in one line.
function describeArgsError(error: Error & { code?: string }): string {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option "${option}"`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `option "${/--[\w-]+/.exec(option)?.[0] ?? option}" needs a value`;
  return error.message;
}
