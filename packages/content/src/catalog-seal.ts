import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LearningPathSchema } from '@learnpath/schema';

// What a built catalog was checked with besides the schema: bump this when `validatePath` or the
// cross-path checks start refusing something they let through, so that older files are rebuilt.
const CHECKS_REVISION = 1;

let schemaVersion: string | undefined;

/**
 * The version of the schema and checks a built catalog is validated with: a hash of the JSON
 * Schema of a compiled path and of the checks' revision. A file sealed with another version is stale.
 */
export function catalogSchemaVersion(): string {
  schemaVersion ??= createHash('sha256')
    .update(`${CHECKS_REVISION}\n${JSON.stringify(z.toJSONSchema(LearningPathSchema, { io: 'output', unrepresentable: 'any' }))}`)
    .digest('hex')
    .slice(0, 16);
  return schemaVersion;
}

/** The content hash of the sealed part of a built catalog (hex SHA-256 of its bytes). */
export function sealHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// The seal opens the file, in this order, so that the sealed bytes are simply the rest of the
// file: checking it costs one hash of the raw bytes, never a second serialisation.
const SEAL = /^\s*\{\s*"schemaVersion"\s*:\s*"([\w.-]{0,200})"\s*,\s*"contentHash"\s*:\s*"([\w.-]{0,200})"\s*,/;

/** The seal at the start of a built catalog file, and where the sealed bytes start; null when the file has none. */
export function readSeal(head: string): { schemaVersion: string; contentHash: string; end: number } | null {
  const match = SEAL.exec(head);
  if (!match) return null;
  return { schemaVersion: match[1]!, contentHash: match[2]!, end: match[0].length };
}

/** Writes a sealed catalog: the seal, then `rest` (the document's members after the seal, its closing brace and the end of the file). */
export function sealDocument(rest: string, pretty: boolean): string {
  return `${sealHead(sealHash(rest), pretty)}${rest}`;
}

/** The opening of a sealed catalog up to the members after the seal; its length does not depend on `hash`. */
export function sealHead(hash: string, pretty: boolean): string {
  const version = catalogSchemaVersion();
  return pretty ? `{\n  "schemaVersion": "${version}",\n  "contentHash": "${hash}",` : `{"schemaVersion":"${version}","contentHash":"${hash}",`;
}
