import { z } from 'zod';
import { hashString } from '@learnpath/schema';
import { ProblemError } from '../http/problem.js';

/** The sort key of the last item of a page: the cursor resumes after it. */
export type CursorKey = readonly [string | number, string | number];

const CursorPayloadSchema = z.strictObject({
  v: z.literal(1),
  f: z.string().max(64),
  k: z.tuple([z.union([z.string().max(600), z.number()]), z.union([z.string().max(600), z.number()])]),
});

/** A fingerprint of everything that decides which items a listing holds and in what order. */
export function fingerprintOf(parts: readonly unknown[]): string {
  return hashString(JSON.stringify(parts));
}

/**
 * An opaque cursor: the query's fingerprint and the key of the last item served. Resuming
 * after a key (not an offset) means that content swapped between two pages neither repeats
 * nor skips the items that stayed.
 */
export function encodeCursor(fingerprint: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ v: 1, f: fingerprint, k: key }), 'utf8').toString('base64url');
}

/** The key a cursor resumes after; a 400 problem when it is malformed or from another query. */
export function decodeCursor(cursor: string, fingerprint: string): CursorKey {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    payload = undefined;
  }
  const parsed = CursorPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new ProblemError(400, 'The cursor is not one this service issued. Use the nextCursor of a previous page.', {
      type: 'urn:learnpath:problem:invalid-cursor',
      extensions: { errors: [{ in: 'query', pointer: '/cursor', message: 'malformed cursor' }] },
    });
  }
  if (parsed.data.f !== fingerprint) {
    throw new ProblemError(400, 'The cursor belongs to a listing with other filters or another sort. Repeat the query that returned it, or drop the cursor to start over.', {
      type: 'urn:learnpath:problem:invalid-cursor',
      extensions: { errors: [{ in: 'query', pointer: '/cursor', message: 'cursor from another query' }] },
    });
  }
  return parsed.data.k;
}
