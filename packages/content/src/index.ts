export { createCatalog, hashContent } from './catalog.js';
export type { Catalog } from './catalog.js';
export type { ParseResult, ParseOptions, SourcePosition } from './types.js';
