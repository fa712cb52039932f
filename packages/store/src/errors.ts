/** The database cannot be reached or went away; the caller should answer 503 and try again later. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Another process owns the PGlite data folder. */
export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';
  constructor(
    message: string,
    /** Process id of the owner, as its lock file says. */
    readonly ownerPid: number | null,
  ) {
    super(message);
  }
}

/** A value given to the store is not valid (learner id, slug, resource id, cursor, time). */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError';
  constructor(
    message: string,
    /** Which argument is wrong. */
    readonly field: string,
  ) {
    super(message);
  }
}

/** The store was used after `close()`. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
  constructor() {
    super('the store is closed');
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED']);
// SQLSTATEs that mean "the server is not there for you right now", not "your query is wrong":
// connection exceptions (08…), shutdown and start-up (57P01–57P03), too many connections (53300).
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection error/i, /Connection ended unexpectedly/i, /not queryable/i];

/** Whether an error from `pg` means the server is unreachable (as opposed to a bad query). */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return UNAVAILABLE_MESSAGES.some((m) => m.test(error.message));
}

/** `error` as a `StoreUnavailableError` when it means the server is unreachable; otherwise as is. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isUnavailable(error)) return error;
  const reason = error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
  return new StoreUnavailableError(`the database is unavailable: ${reason}`, { cause: error });
}
