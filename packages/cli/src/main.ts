import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io.js';
import { USAGE } from './usage.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./commands/check.js')).runCheck,
  build: async () => (await import('./commands/build.js')).runBuild,
  new: async () => (await import('./commands/new.js')).runNew,
  keys: async () => (await import('./commands/keys.js')).runKeys,
  export: loadExport,
};

// The export command lives in its own module with the LMS packages behind it; until it is
// there the CLI still works and says so.
async function loadExport(): Promise<Command> {
  const source = new URL('./commands/export.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source)) && !existsSync(fileURLToPath(new URL('./commands/export.js', import.meta.url)))) {
    return async (_args, io) => {
      io.stderr('learnpath: export is not available in this build\n');
      return EXIT_USAGE;
    };
  }
  const specifier = './commands/export.js';
  const module = (await import(specifier)) as { runExport?: Command };
  if (typeof module.runExport !== 'function') throw new Error('commands/export does not export runExport');
  return module.runExport;
}

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
  const load = COMMANDS[first];
  if (!load) {
    io.stderr(`learnpath: unknown command "${first}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
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
