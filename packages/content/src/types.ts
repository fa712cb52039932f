import type { Diagnostic, LearningPath, PathPointer } from '@learnpath/schema';

/** A 1-based line and column in a source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** What parsing one document yields: the path (best effort) and everything found wrong. */
export interface ParseResult {
  /** The compiled path, or null when the document is too broken to make one (e.g. no title). */
  path: LearningPath | null;
  /** Diagnostics of reading the document (syntax, format, schema); not reference checks. */
  diagnostics: Diagnostic[];
  /** Maps a pointer into `path` (as `validatePath` gives) to where it was written. */
  locate: (at: PathPointer) => SourcePosition;
}

/** Options for the document parsers. */
export interface ParseOptions {
  /** The file name diagnostics carry. */
  file: string;
  /** The slug when the document sets none (usually the file name without extension). */
  fallbackSlug?: string;
}
