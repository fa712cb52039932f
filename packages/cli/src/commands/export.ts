import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadCatalog } from '@learnpath/content';
import { EXPORT_FORMAT_NAMES, ExportOptionsError, exportFormatInfo, exportPath, isExportFormat, type ExportOptions } from '@learnpath/lms';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from '../io.js';
import { parseCommandArgs } from './args.js';
import { DEFAULT_FOLDER, explainMissingDefaultFolder } from './inputs.js';
import { formatDiagnostics, summarize } from './report.js';

const FORMAT_LIST = EXPORT_FORMAT_NAMES.join(', ');

/**
 * `learnpath export <slug> --format F [--out FILE] [--base-url URL] [--language TAG] [--per-phase] [dir]`:
 * exports one path of the folder (default `content`) for an LMS. The file goes to the export's
 * own name in the working directory unless `--out` says otherwise; `--out -` writes text
 * formats to standard output.
 */
export async function runExport(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    'export',
    args,
    {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      'base-url': { type: 'string' },
      'base-iri': { type: 'string' },
      language: { type: 'string' },
      'per-phase': { type: 'boolean' },
    },
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [slug, dir = DEFAULT_FOLDER, ...extra] = parsed.positionals;
  if (slug === undefined || extra.length > 0) {
    io.stderr('learnpath export: expected a path slug and at most one folder: learnpath export <slug> --format <format> [--out FILE] [--base-url URL] [dir]\n');
    return EXIT_USAGE;
  }
  if (parsed.positionals.length === 1) {
    const missing = await explainMissingDefaultFolder('export', io.cwd);
    if (missing !== null) {
      io.stderr(missing);
      return EXIT_USAGE;
    }
  }
  const format = parsed.values.format;
  if (typeof format !== 'string' || !isExportFormat(format)) {
    io.stderr(`learnpath export: ${typeof format === 'string' ? `unknown format "${format}"` : '--format is required'}; formats: ${FORMAT_LIST}\n`);
    return EXIT_USAGE;
  }
  const out = parsed.values.out;
  if (out === '-' && exportFormatInfo(format).binary) {
    io.stderr(`learnpath export: ${format} is a zip archive; write it to a file with --out FILE\n`);
    return EXIT_USAGE;
  }
  const options: ExportOptions = {};
  if (typeof parsed.values['base-url'] === 'string') options.baseUrl = parsed.values['base-url'];
  if (typeof parsed.values['base-iri'] === 'string') options.baseIri = parsed.values['base-iri'];
  if (typeof parsed.values.language === 'string') options.language = parsed.values.language;
  if (parsed.values['per-phase'] === true) {
    if (format !== 'imscc-lti') {
      io.stderr('learnpath export: --per-phase applies to --format imscc-lti only\n');
      return EXIT_USAGE;
    }
    options.perPhase = true;
  }
  if (format === 'imscc-lti' && options.baseUrl === undefined) {
    io.stderr('learnpath export: imscc-lti needs --base-url URL, the address of the Learnpath service its LTI links launch\n');
    return EXIT_USAGE;
  }
  if (format === 'cmi5' && options.baseUrl === undefined) {
    io.stderr('learnpath export: cmi5 needs --base-url URL, the address of the Learnpath service: AUs without their own URL launch its resource pages\n');
    return EXIT_USAGE;
  }

  const root = resolve(io.cwd, dir);
  const load = await loadCatalog(root);
  const diagnostics = load.diagnostics.map((d) => ({ ...d, file: d.file === root ? dir : join(dir, d.file) }));
  if (!load.catalog) {
    io.stderr(formatDiagnostics(diagnostics));
    io.stderr(`export failed: ${summarize(diagnostics, load.fileCount)}\n`);
    return EXIT_FAILURE;
  }
  const path = load.catalog.paths.get(slug);
  if (!path) {
    const known = [...load.catalog.paths.keys()];
    io.stderr(`learnpath export: no path "${slug}" in ${dir}${known.length > 0 ? `; paths: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}` : ' (it holds no paths)'}\n`);
    return EXIT_FAILURE;
  }

  let file;
  try {
    file = exportPath(path, format, options);
  } catch (error) {
    if (error instanceof ExportOptionsError) {
      io.stderr(`learnpath export: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (out === '-') {
    io.stdout(file.body);
    return EXIT_OK;
  }
  const target = resolve(io.cwd, typeof out === 'string' ? out : file.filename);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, file.body);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    io.stderr(`learnpath export: cannot write ${typeof out === 'string' ? out : file.filename}: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  const size = typeof file.body === 'string' ? Buffer.byteLength(file.body) : file.body.byteLength;
  io.stderr(`exported ${slug} as ${format} to ${typeof out === 'string' ? out : file.filename} (${size} bytes)\n`);
  return EXIT_OK;
}
