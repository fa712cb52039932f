import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAll } from './generators/index.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

for (const file of await generateAll()) {
  const target = resolve(root, file.path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, file.content);
  console.log(`wrote ${file.path}`);
}
