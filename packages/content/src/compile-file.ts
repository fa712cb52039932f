import { readFile, stat } from 'node:fs';
import { promisify } from 'node:util';
import { pathReferences, type Diagnostic } from '@learnpath/schema';
import { checkPath } from './check-path.js';
import type { CompiledFile } from './cross-path.js';
import { describeFsError } from './list-files.js';
import { parsePathDocument } from './parse-document.js';

/** What reading one document yields: its diagnostics and what the cross-path checks need. */
export interface FileResult {
  diagnostics: Diagnostic[];
  compiled: CompiledFile | null;
}

/** Reads, parses and checks one document; never throws for bad or unreadable content. */
export async function loadDocument(file: string, absolute: string, maxBytes: number): Promise<FileResult> {
  const text = await readText(absolute, maxBytes);
  if (typeof text !== 'string') return { diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'LP001', message: text.error }], compiled: null };
  return compileFile(file, text);
}

// Keeps only what the cross-path checks need, so the parser's tree can be collected while
// the other files load.
function compileFile(file: string, text: string): FileResult {
  const result = parsePathDocument(text, { file });
  const diagnostics = [...result.diagnostics, ...checkPath(result, file)];
  if (!result.path) return { diagnostics, compiled: null };
  const references = pathReferences(result.path).map((ref) => ({ ...ref, position: result.locate(ref.at) }));
  return { diagnostics, compiled: { file, path: result.path, slugAt: result.locate(['slug']), references } };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// The callback API: for thousands of small files it costs about half of fs/promises' FileHandle.
const statFile = promisify(stat);
const readBytes = promisify(readFile);

/** Reads a UTF-8 text file, or says in one line why it cannot be read. */
async function readText(file: string, maxBytes: number): Promise<string | { error: string }> {
  try {
    const info = await statFile(file);
    if (info.isDirectory()) return { error: 'cannot read file: is a folder, expected a file' };
    if (info.size > maxBytes) return { error: `cannot read file: ${info.size} bytes is larger than the limit of ${maxBytes} bytes` };
    const bytes = await readBytes(file);
    try {
      return utf8.decode(bytes);
    } catch {
      return { error: 'cannot read file: it is not UTF-8 text' };
    }
  } catch (error) {
    return { error: `cannot read file: ${describeFsError(error)}` };
  }
}
