import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '@learnpath/content';
import { captureScreenshots } from '../services/api/test/support/screenshots.js';

// Screenshots of the seed's learner page for the README, from the bundled content.
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const { catalog, diagnostics } = await loadCatalog(resolve(root, 'content'));
if (catalog === null) {
  console.error(diagnostics);
  process.exit(1);
}
for (const file of await captureScreenshots(catalog, 'batch-vs-stream-processing', resolve(root, 'docs/screenshots'))) console.log(`wrote ${file}`);
