import { join, resolve } from 'node:path';
import { loadCatalog, serializeCatalog, writeCatalogFile } from '@learnpath/content';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from '../io.js';
import { parseCommandArgs } from './args.js';
import { DEFAULT_FOLDER, explainMissingDefaultFolder } from './inputs.js';
import { formatDiagnostics, summarize } from './report.js';

/** `learnpath build [dir] [--out FILE] [--pretty]`: compiles a folder into `{ "paths": [...] }` (stdout without --out); refuses on errors. */
export async function runBuild(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('build', args, { out: { type: 'string', short: 'o' }, pretty: { type: 'boolean', default: false } }, io);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length > 1) {
    io.stderr('learnpath build: expected one folder\n');
    return EXIT_USAGE;
  }
  if (parsed.positionals.length === 0) {
    const missing = await explainMissingDefaultFolder('build', io.cwd);
    if (missing !== null) {
      io.stderr(missing);
      return EXIT_USAGE;
    }
  }
  const dir = parsed.positionals[0] ?? DEFAULT_FOLDER;
  // The file is sealed as validated: every compiled path is checked against the served schema too.
  const load = await loadCatalog(resolve(io.cwd, dir), { checkOutput: true });
  // Show names as the user can open them: relative to where they ran the command.
  const diagnostics = load.diagnostics.map((d) => ({ ...d, file: d.file === resolve(io.cwd, dir) ? dir : join(dir, d.file) }));
  io.stderr(formatDiagnostics(diagnostics));
  if (!load.catalog) {
    io.stderr(`build failed: ${summarize(diagnostics, load.fileCount)}\n`);
    return EXIT_FAILURE;
  }
  const pretty = parsed.values.pretty === true;
  const out = parsed.values.out;
  if (typeof out !== 'string' || out === '-') {
    io.stdout(serializeCatalog(load.catalog, pretty));
  } else {
    // Written beside the target and renamed into place, so a running service never reads half of it.
    try {
      await writeCatalogFile(load.catalog, resolve(io.cwd, out), { pretty });
    } catch (error) {
      io.stderr(`learnpath build: cannot write ${out}: ${(error as Error).message}\n`);
      return EXIT_FAILURE;
    }
  }
  io.stderr(`built ${load.catalog.paths.size} paths (${summarize(diagnostics, load.fileCount)})${typeof out === 'string' && out !== '-' ? ` into ${out}` : ''}\n`);
  return EXIT_OK;
}
