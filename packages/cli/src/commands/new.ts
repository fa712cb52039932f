import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SlugSchema } from '@learnpath/schema';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from '../io.js';
import { renderTemplate, titleOfSlug } from '../template.js';
import { parseCommandArgs } from './args.js';

/** `learnpath new <slug> [--dir content] [--title TITLE]`: writes `<dir>/<slug>.md` from the template; never overwrites. */
export async function runNew(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs('new', args, { dir: { type: 'string', default: 'content' }, title: { type: 'string' } }, io);
  if (typeof parsed === 'number') return parsed;
  const [slug, ...extra] = parsed.positionals;
  if (slug === undefined || extra.length > 0) {
    io.stderr('learnpath new: expected exactly one slug, e.g. "learnpath new data-quality-testing"\n');
    return EXIT_USAGE;
  }
  if (!SlugSchema.safeParse(slug).success) {
    io.stderr(`learnpath new: "${slug}" is not a slug: use lowercase letters, digits and single hyphens (e.g. "apache-kafka-fundamentals")\n`);
    return EXIT_USAGE;
  }
  const title = typeof parsed.values.title === 'string' && parsed.values.title.trim() !== '' ? parsed.values.title.trim().replace(/\s+/g, ' ') : titleOfSlug(slug);
  const dir = String(parsed.values.dir);
  const file = join(dir, `${slug}.md`);
  try {
    await mkdir(resolve(io.cwd, dir), { recursive: true });
    // "wx" fails when the file exists, atomically: no check-then-write race.
    await writeFile(resolve(io.cwd, file), renderTemplate(slug, title), { flag: 'wx' });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    io.stderr(e.code === 'EEXIST' ? `learnpath new: ${file} already exists; not overwriting it\n` : `learnpath new: cannot write ${file}: ${e.code ?? e.message}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(`created ${file}\n`);
  return EXIT_OK;
}
