import { StoreInputError } from './errors.js';

/** An opaque cursor for the event after `id` (older than it). */
export function encodeEventCursor(id: string): string {
  return Buffer.from(`e:${id}`, 'utf8').toString('base64url');
}

/** The event id inside a cursor from `encodeEventCursor`; throws `StoreInputError` for anything else. */
export function decodeEventCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^e:([1-9][0-9]{0,18})$/.exec(text);
  if (!match?.[1]) throw new StoreInputError('the cursor is not one this service returned', 'cursor');
  return match[1];
}
