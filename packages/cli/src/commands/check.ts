import { loadCatalogFiles, sortDiagnostics } from '@learnpath/content';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from '../io.js';
import { parseCommandArgs } from './args.js';
import { collectInputs, DEFAULT_FOLDER, explainMissingDefaultFolder } from './inputs.js';
import { formatDiagnostics, summarize } from './report.js';

/** `learnpath check [dir|file...] [--format text|json]`: prints every problem; exit 1 on any error. */
export async function runCheck(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('check', args, { format: { type: 'string', default: 'text' } }, io);
  if (typeof parsed === 'number') return parsed;
  const format = parsed.values.format;
  if (format !== 'text' && format !== 'json') {
    io.stderr(`learnpath check: --format must be "text" or "json", not "${String(format)}"\n`);
    return EXIT_USAGE;
  }
  if (parsed.positionals.length === 0) {
    const missing = await explainMissingDefaultFolder('check', io.cwd);
    if (missing !== null) {
      io.stderr(missing);
      return EXIT_USAGE;
    }
  }
  const inputs = await collectInputs(parsed.positionals.length > 0 ? parsed.positionals : [DEFAULT_FOLDER], io.cwd);
  const load = await loadCatalogFiles(inputs.files, { root: io.cwd, partial: inputs.partial });
  const diagnostics = sortDiagnostics([...inputs.diagnostics, ...load.diagnostics]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (format === 'json') {
    const report = { ok: errors === 0, files: load.fileCount, errors, warnings: diagnostics.length - errors, diagnostics };
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout(formatDiagnostics(diagnostics));
    io.stdout(`${summarize(diagnostics, load.fileCount)}\n`);
  }
  return errors === 0 ? EXIT_OK : EXIT_FAILURE;
}
