import { extname, basename } from 'node:path';
import { slugify } from '@learnpath/schema';

/** The document formats a learning path can be written in. */
export type DocumentFormat = 'markdown' | 'yaml' | 'json';

const FORMATS: ReadonlyMap<string, DocumentFormat> = new Map([
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ['.yaml', 'yaml'],
  ['.yml', 'yaml'],
  ['.json', 'json'],
]);

/** The format of a file by its extension (case-insensitive), or null for other files. */
export function formatOfFile(file: string): DocumentFormat | null {
  return FORMATS.get(extname(file).toLowerCase()) ?? null;
}

/** The slug a file gets when its document sets none: its name without extension, as a slug. */
export function slugOfFile(file: string): string {
  const name = basename(file, extname(file));
  return slugify(name);
}
