import type { Diagnostic } from '@learnpath/schema';
import { formatOfFile, slugOfFile, type DocumentFormat } from './document-format.js';
import { parseJsonPath } from './json-document.js';
import { parseMarkdownPath } from './markdown/parse-markdown.js';
import { parseYamlPath } from './yaml-document.js';
import type { ParseResult } from './types.js';

/** Options for `parsePathDocument`. */
export interface ParsePathDocumentOptions {
  /** The file name diagnostics carry; its extension picks the format unless `format` is given. */
  file: string;
  /** The format, when the file name does not tell (e.g. text from an editor buffer). */
  format?: DocumentFormat;
  /** The slug when the document sets none; defaults to the file name without extension. */
  fallbackSlug?: string;
}

/** Parses a learning path document of any supported format (Markdown, YAML or JSON). */
export function parsePathDocument(text: string, options: ParsePathDocumentOptions): ParseResult {
  const { file } = options;
  const format = options.format ?? formatOfFile(file);
  const parseOptions = { file, fallbackSlug: options.fallbackSlug ?? slugOfFile(file) };
  if (format === 'yaml') return parseYamlPath(text, parseOptions);
  if (format === 'json') return parseJsonPath(text, parseOptions);
  if (format === 'markdown') return parseMarkdownPath(text, parseOptions);
  const diagnostic: Diagnostic = {
    file,
    line: 1,
    column: 1,
    severity: 'error',
    code: 'LP005',
    message: 'unsupported file type: expected .md, .markdown, .yaml, .yml or .json',
  };
  return { path: null, diagnostics: [diagnostic], locate: () => ({ line: 1, column: 1 }) };
}
