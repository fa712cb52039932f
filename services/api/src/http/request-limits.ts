import { SlugSchema } from '@learnpath/schema';

/** What one request may ask for, the same over REST and GraphQL. */
export const REQUEST_LIMITS = {
  /** Most resource ids a progress request lists as completed. */
  completedIds: 1000,
  /** Most path slugs a progress request lists as completed. */
  completedPaths: 100,
  /** Largest page of a listing or a connection. */
  maxPageSize: 100,
  /** Page size when none is asked for. */
  defaultPageSize: 20,
} as const;

// An id in a JSON list costs its characters (slugs are ASCII), two quotes and a comma.
const ID_BYTES = (SlugSchema.maxLength ?? 120) + 3;
// Room for everything besides the id lists: keys, brackets and the text of a GraphQL document.
const ENVELOPE_BYTES = 16 * 1024;

/**
 * The default largest request body, in bytes: a progress request with the most ids of the
 * longest slugs fits, with room for a GraphQL document, rounded up to whole KiB.
 */
export const DEFAULT_BODY_LIMIT = Math.ceil(((REQUEST_LIMITS.completedIds + REQUEST_LIMITS.completedPaths) * ID_BYTES + ENVELOPE_BYTES) / 1024) * 1024;
