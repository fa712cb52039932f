// Writes the scale catalog as `learnpath build` would: compiled with the library, serialised
// with `writeCatalogFile`. Run in its own process by `scale.ts` (argv: count, output file).
import { createCatalog, writeCatalogFile } from '@learnpath/content';
import { compilePath, type LearningPath } from '@learnpath/schema';
import { scalePathDocument } from './scale-paths.js';

const [countArg, out] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isSafeInteger(count) || count < 1 || out === undefined) throw new Error('usage: scale-build.ts <count> <file>');
const paths: LearningPath[] = [];
for (let n = 0; n < count; n++) paths.push(compilePath(scalePathDocument(n)));
await writeCatalogFile(createCatalog(paths), out);
