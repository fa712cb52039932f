import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Catalog } from './catalog.js';
import { sealDocument, sealHead } from './catalog-seal.js';
import { LazyPathMap } from './sealed-paths.js';

// How `learnpath build` writes a catalog: the seal (`schemaVersion`, `contentHash`), then `hashes`
// and `paths` in slug order, one line unless pretty. The members after the seal come as pieces
// (one per path) exactly as `JSON.stringify` of the whole would write them, so a large catalog
// is written without ever holding it as one string or one buffer.

/**
 * The JSON `learnpath build` writes for a catalog. Call it only for a catalog whose paths passed
 * `LearningPathSchema` and every check (`loadCatalog` with `checkOutput`). For a file, prefer
 * `writeCatalogFile`: it writes the same bytes without the whole catalog in memory at once.
 */
export function serializeCatalog(catalog: Catalog, pretty = false): string {
  let rest = '';
  for (const piece of sealedPieces(catalog, pretty)) rest += piece;
  return sealDocument(rest, pretty);
}

/** Tuning of `writeCatalogFile`. */
export interface WriteCatalogOptions {
  /** Indented JSON, as `serializeCatalog(catalog, true)` (default false: one line). */
  pretty?: boolean;
  /** Characters encoded and written at a time (default 64 Ki); the memory a write holds. */
  chunkChars?: number;
}

/**
 * Writes `serializeCatalog(catalog)` to `file` (its folder is created), a chunk at a time: each
 * chunk is encoded once into one reused buffer, hashed and written, and the seal is written last
 * at the start of the file. The file is written beside its target and renamed into place, so a
 * reader never sees half of it; on failure the partial file is removed and the error thrown.
 */
export async function writeCatalogFile(catalog: Catalog, file: string, options: WriteCatalogOptions = {}): Promise<void> {
  const pretty = options.pretty ?? false;
  // Small enough that each chunk's string stays in V8's young generation, whose memory is reused:
  // a larger one is allocated afresh each time, and touching new memory costs more than writing.
  const chunkChars = Math.max(1, options.chunkChars ?? 64 * 1024);
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    const hash = createHash('sha256');
    // The head's length does not depend on the hash: the members go after room for it.
    let position = Buffer.byteLength(sealHead('0'.repeat(64), pretty));
    // UTF-8 takes at most three bytes for each UTF-16 code unit.
    let buffer = Buffer.allocUnsafe(3 * chunkChars + 1024);
    let pending = '';
    const flush = async (): Promise<void> => {
      if (3 * pending.length > buffer.length) buffer = Buffer.allocUnsafe(3 * pending.length);
      const length = buffer.write(pending, 'utf8');
      pending = '';
      const bytes = buffer.subarray(0, length);
      hash.update(bytes);
      await handle.write(bytes, 0, length, position);
      position += length;
    };
    // A piece is never cut, so no chunk ends inside a character.
    for (const piece of sealedPieces(catalog, pretty)) {
      pending += piece;
      if (pending.length >= chunkChars) await flush();
    }
    await flush();
    const head = Buffer.from(sealHead(hash.digest('hex'), pretty), 'latin1');
    await handle.write(head, 0, head.length, 0);
    await handle.close();
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

// The members after the seal, without the opening brace the seal writes: what
// `JSON.stringify({ hashes, paths }, null, pretty ? 2 : undefined).slice(1)` gives, then a newline.
function* sealedPieces(catalog: Catalog, pretty: boolean): Generator<string> {
  const hashes = Object.fromEntries(catalog.hashes);
  if (!pretty) {
    yield `"hashes":${JSON.stringify(hashes)},"paths":[`;
    let first = true;
    for (const json of pathJsons(catalog.paths)) {
      yield first ? json : `,${json}`;
      first = false;
    }
    yield ']}\n';
    return;
  }
  // JSON strings hold no raw line breaks, so indenting every line break nests a value deeper.
  const nested = (value: unknown, indent: string): string => JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
  yield `\n  "hashes": ${nested(hashes, '  ')},\n  "paths": [`;
  let first = true;
  for (const path of catalog.paths.values()) {
    yield `${first ? '' : ','}\n    ${nested(path, '    ')}`;
    first = false;
  }
  yield first ? ']\n}\n' : '\n  ]\n}\n';
}

/** `JSON.stringify` of each path in order; paths not read since they were compiled or loaded are the JSON they came as. */
function* pathJsons(paths: Catalog['paths']): Generator<string> {
  if (paths instanceof LazyPathMap) for (let i = 0; i < paths.size; i++) yield paths.jsonAt(i);
  else for (const path of paths.values()) yield JSON.stringify(path);
}
