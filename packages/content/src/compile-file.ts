import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LearningPathSchema, pathReferences, type Diagnostic } from '@learnpath/schema';
import { hashJson } from './catalog.js';
import { checkPath } from './check-path.js';
import type { CompiledFile } from './cross-path.js';
import { describeFsError } from './list-files.js';
import { parsePathDocument } from './parse-document.js';

/** A compiled document: what the cross-path checks need, and the path as JSON. */
export interface CompiledDocument extends CompiledFile {
  /**
   * `JSON.stringify` of the compiled path, which its hash is worked out from. A path is kept as
   * its JSON until something reads it: a string is sent between threads in one piece, a build
   * writes it out as it is, and a path parsed from it holds none of its document's text (the
   * parser's strings are slices of the document, and would keep every document in memory).
   */
  json: string;
}

/** What reading one document yields: its diagnostics and what the catalog and the cross-path checks need. */
export interface FileResult {
  diagnostics: Diagnostic[];
  compiled: CompiledDocument | null;
  /** The content hash of the compiled path (`hashContent`), worked out where it was compiled. */
  hash: string | null;
}

/** How one document is read and checked. */
export interface DocumentOptions {
  /** Largest file read, in bytes. */
  maxBytes: number;
  /** Also validate the compiled path with `LearningPathSchema`, as a built catalog promises. */
  checkOutput: boolean;
}

/**
 * Reads, parses and checks one document; never throws for bad or unreadable content. The file is
 * read with blocking calls: parsing it takes far longer than reading a small file, and a read
 * through the thread pool cost about as much again in callbacks and promises.
 */
export function loadDocument(file: string, absolute: string, options: DocumentOptions): FileResult {
  const text = readText(absolute, options.maxBytes);
  if (typeof text !== 'string') return { diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'LP001', message: text.error }], compiled: null, hash: null };
  return compileFile(file, text, options.checkOutput);
}

// Keeps only what the cross-path checks need, so the parser's tree can be collected while
// the other files load.
function compileFile(file: string, text: string, checkOutput: boolean): FileResult {
  const result = parsePathDocument(text, { file });
  const diagnostics = [...result.diagnostics, ...checkPath(result, file)];
  if (!result.path) return { diagnostics, compiled: null, hash: null };
  if (checkOutput) {
    const checked = LearningPathSchema.safeParse(result.path);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      diagnostics.push({ file, ...result.locate(issue.path as (string | number)[]), severity: 'error', code: 'LP004', message: `the compiled path does not match the schema of a served path at ${issue.path.join('.') || 'its root'}: ${issue.message}` });
    }
  }
  const references = pathReferences(result.path).map((ref) => ({ ...ref, position: result.locate(ref.at) }));
  const { json, hash } = jsonAndHash(JSON.stringify(result.path));
  return { diagnostics, compiled: { file, slug: result.path.slug, json, slugAt: result.locate(['slug']), references }, hash };
}

/**
 * The JSON as a one-byte string when it can be, and its hash (`hashJson`). ASCII JSON, the
 * common case, is encoded once into the thread's buffer, which gives both the copy and the
 * bytes hashed (a string is encoded again by the hash, and measured first by `Buffer.byteLength`,
 * which is slow for a two-byte string).
 */
function jsonAndHash(json: string): { json: string; hash: string } {
  if (json.length <= ASCII_JSON_CHARS) {
    const length = scratchJson.write(json, 'utf8');
    // Any other character takes more than one byte: the buffer holds more (or, cut short, at
    // least three bytes fewer than its size) than the JSON has characters.
    if (length === json.length) {
      const bytes = scratchJson.subarray(0, length);
      return { json: bytes.toString('latin1'), hash: hashJson(bytes) };
    }
  }
  const copy = oneByte(json);
  return { json: copy, hash: hashJson(copy) };
}

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

// One buffer per thread for the copies; the JSON of a larger path gets one of its own.
const latin1 = Buffer.allocUnsafe(64 * 1024);
// And one for ASCII JSON, encoded once for its copy and its hash: four bytes more than the
// longest JSON it takes, the most a character of UTF-8 can leave unfilled.
const ASCII_JSON_CHARS = 64 * 1024;
const scratchJson = Buffer.allocUnsafe(ASCII_JSON_CHARS + 4);

/**
 * The JSON as a one-byte string when every character fits in one (Latin-1). `JSON.stringify`
 * writes two bytes a character as soon as one of the strings it joins is stored so, and the
 * parser's strings are slices of the document, stored so when it has any character beyond
 * Latin-1 (an em dash): a copy takes half the memory to keep and half the bytes to send to
 * another thread.
 */
function oneByte(json: string): string {
  // ASCII is checked natively; the rest only when there is something beyond it.
  if (Buffer.byteLength(json, 'utf8') !== json.length && BEYOND_LATIN1.test(json)) return json;
  if (json.length > latin1.length) return Buffer.from(json, 'latin1').toString('latin1');
  const length = latin1.write(json, 'latin1');
  return latin1.toString('latin1', 0, length);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// One buffer per thread that every read fills; a document larger than it gets a larger one.
const SCRATCH_BYTES = 256 * 1024;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

/**
 * Reads a UTF-8 text file with one open, read and close (a folder fails its read), or says in
 * one line why it cannot be read.
 */
function readText(file: string, maxBytes: number): string | { error: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    return { error: `cannot read file: ${describeFsError(error)}` };
  }
  try {
    let bytes = scratch;
    let length = 0;
    for (let n = -1; n !== 0; length += n) {
      if (length > maxBytes) {
        const { size } = fstatSync(fd);
        return { error: size > maxBytes ? `cannot read file: ${size} bytes is larger than the limit of ${maxBytes} bytes` : `cannot read file: it is larger than the limit of ${maxBytes} bytes` };
      }
      if (length === bytes.length) bytes = Buffer.concat([bytes, Buffer.allocUnsafe(Math.min(bytes.length, maxBytes + 1))]);
      n = readSync(fd, bytes, length, bytes.length - length, null);
    }
    try {
      return utf8.decode(bytes.subarray(0, length));
    } catch {
      return { error: 'cannot read file: it is not UTF-8 text' };
    }
  } catch (error) {
    return { error: `cannot read file: ${describeFsError(error)}` };
  } finally {
    closeSync(fd);
  }
}
