import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateAll } from '../scripts/generators/index.js';
import { GENERATED_NOTE } from '../scripts/generators/types.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const files = await generateAll();

describe('generated files', () => {
  it.each(files.map((f) => [f.path, f] as const))('%s is committed as generated (run `npm run generate` when this fails)', async (_path, file) => {
    const committed = await readFile(resolve(root, file.path), 'utf8').catch(() => '<missing>');
    expect(committed).toBe(file.content);
    expect(file.content).toContain(GENERATED_NOTE);
  });
});
