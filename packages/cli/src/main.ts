import { readFileSync } from 'node:fs';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io.js';
import { COMMAND_USAGE, USAGE } from './usage.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

// A Map, so that a command name such as "constructor" cannot reach an inherited property.
const COMMANDS: ReadonlyMap<string, () => Promise<Command>> = new Map([
  ['check', async () => (await import('./commands/check.js')).runCheck],
  ['build', async () => (await import('./commands/build.js')).runBuild],
  ['new', async () => (await import('./commands/new.js')).runNew],
  ['keys', async () => (await import('./commands/keys.js')).runKeys],
  ['export', async () => (await import('./commands/export.js')).runExport],
]);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Runs the `learnpath` command line; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    (first === undefined ? io.stderr : io.stdout)(USAGE);
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${version()}\n`);
    return EXIT_OK;
  }
  const load = COMMANDS.get(first);
  if (!load) {
    io.stderr(`learnpath: unknown command "${first}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(Object.hasOwn(COMMAND_USAGE, first) ? COMMAND_USAGE[first]! : USAGE);
    return EXIT_OK;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    // Content problems are diagnostics; reaching this is a bug in learnpath itself.
    io.stderr(`learnpath ${first}: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
