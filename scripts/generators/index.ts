import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { GeneratedFile, Generator } from './types.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs every generator in this folder (each `*.ts` except this index and the types). */
export async function generateAll(): Promise<GeneratedFile[]> {
  const names = (await readdir(here)).filter((n) => n.endsWith('.ts') && !['index.ts', 'types.ts'].includes(n) && !n.endsWith('.test.ts')).sort();
  const files: GeneratedFile[] = [];
  for (const name of names) {
    const mod = (await import(new URL(name, `file://${here}`).href)) as { default: Generator };
    files.push(...(await mod.default()));
  }
  return files;
}
