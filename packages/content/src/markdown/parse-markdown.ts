import { Parser } from 'commonmark';
import type { LearningPath, PathPointer } from '@learnpath/schema';
import type { ParseOptions, ParseResult } from '../types.js';
import { Report } from './report.js';
import { compileDocument } from './compile-document.js';
import { createContext } from './context.js';
import { readDocument } from './document.js';
import { resolvePending } from './resolve.js';

// The Markdown parser is commonmark.js: it keeps source positions on every block and was the
// fastest tree parser measured on the seed document (warm, per parse, on the 2-core build
// machine: commonmark 0.06 ms, markdown-it 0.07 ms; mdast-util-from-markdown with GFM ~7 ms
// cold). Task-list boxes ("[ ]", "[x]") are read off an item's text, so no GFM extension is needed.
//
// Each `##` section has its reader (document.ts dispatches); they share one ParseContext.
// References and checklist targets are resolved in a second pass (resolve.ts), once every
// phase is known.

/**
 * Parses a learning path document in the Markdown format (see docs/document-format.md). It never
 * throws: everything it cannot understand becomes a diagnostic, and `path` is compiled whenever
 * the document has a title.
 */
export function parseMarkdownPath(text: string, options: ParseOptions): ParseResult {
  const report = new Report(options.file);
  let path: LearningPath | null = null;
  try {
    path = parse(String(text), options, report);
  } catch (error) {
    report.error({ line: 1, column: 1 }, 'LP002', `the document could not be read: ${error instanceof Error ? error.message : String(error)}`);
    path = null;
  }
  const { positions } = report;
  return { path, diagnostics: report.diagnostics, locate: (at: PathPointer) => positions.locate(at) };
}

function parse(text: string, options: ParseOptions, report: Report): LearningPath | null {
  const ctx = createContext(text, options, report);
  readDocument(ctx, new Parser().parse(ctx.markdown));
  resolvePending(ctx);
  if (!ctx.titleFound) return null;
  return compileDocument(ctx.doc, options.fallbackSlug, report);
}
