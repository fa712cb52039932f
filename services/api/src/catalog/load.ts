import { loadCatalog, loadCatalogFile, type CatalogLoad } from '@learnpath/content';
import type { ContentSource } from '../config.js';

/** Loads the catalog from a content folder or a built catalog file; never throws for bad content. */
export function loadContent(source: ContentSource): Promise<CatalogLoad> {
  return source.kind === 'dir' ? loadCatalog(source.dir) : loadCatalogFile(source.file);
}

/** Where the content comes from, for log lines. */
export function describeSource(source: ContentSource): string {
  return source.kind === 'dir' ? source.dir : source.file;
}
