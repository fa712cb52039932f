import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { StoreInputError } from './errors.js';
import type { Tables } from './tables.js';
import { checkLearnerId, checkSlug } from './validate.js';

/** A new single-use learner link: the token is shown once; the store keeps its hash. */
export interface NewLearnerLink {
  /** The secret to put in the link (`lpl_` and 43 base64url characters). */
  token: string;
  /** When the link stops working (ISO-8601). */
  expiresAt: string;
}

/** What consuming a link found: the learner and path it opens, or why it opens nothing. */
export type ConsumedLink = { status: 'ok'; learnerId: string; slug: string | null } | { status: 'expired' | 'used' | 'unknown' };

/** A new session: its id (for the cookie) and CSRF token are shown once. */
export interface NewLearnerSession {
  /** The session id (`lps_` and 43 base64url characters); the store keeps its hash. */
  id: string;
  /** The token every state-changing request of the session must carry. */
  csrfToken: string;
  learnerId: string;
  /** When the session ends by itself (ISO-8601). */
  expiresAt: string;
}

/** A live session as read back by its id. */
export interface LearnerSession {
  learnerId: string;
  csrfToken: string;
  expiresAt: string;
}

/** The learner link and session operations of the store. */
export interface SessionOperations {
  /** Stores a single-use link for a learner, optionally to one path, valid until `expiresAt`. */
  createLearnerLink(input: { learnerId: string; slug?: string | null; expiresAt: Date }): Promise<NewLearnerLink>;
  /** Consumes a link at most once (atomically, even across replicas): `ok` exactly once, then `used`; `expired` after its time. */
  consumeLearnerLink(token: string, now?: Date): Promise<ConsumedLink>;
  /** Opens a session for a learner until `expiresAt`. */
  createSession(input: { learnerId: string; expiresAt: Date }): Promise<NewLearnerSession>;
  /** The session with this id, or null when it is unknown, ended or expired. */
  getSession(id: string, now?: Date): Promise<LearnerSession | null>;
  /** Ends a session; resolves to whether it was live. */
  endSession(id: string, now?: Date): Promise<{ ended: boolean }>;
}

const LINK_TOKEN = /^lpl_[A-Za-z0-9_-]{43}$/;
const SESSION_ID = /^lps_[A-Za-z0-9_-]{43}$/;

const secret = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;
// The secrets carry 256 random bits, so a fast hash is enough: nobody can guess one from its hash.
/** The stored form of a link token or session id. */
export const hashSecret = (value: string): string => createHash('sha256').update(value).digest('base64url');
const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

function checkExpiry(value: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new StoreInputError('expiresAt: expected a valid Date', 'expiresAt');
  return value;
}

/** The link and session operations over a migrated database; `run` maps closed stores and unreachable servers. */
export function createSessionOperations(db: Kysely<Tables>, run: <T>(operation: () => Promise<T>) => Promise<T>): SessionOperations {
  return {
    async createLearnerLink(input) {
      const learnerId = checkLearnerId(input.learnerId);
      const slug = input.slug === undefined || input.slug === null ? null : checkSlug(input.slug, 'slug');
      const expiresAt = checkExpiry(input.expiresAt);
      const token = secret('lpl_');
      await run(() => db.insertInto('learner_links').values({ token_hash: hashSecret(token), learner_id: learnerId, path_slug: slug, expires_at: expiresAt }).execute());
      return { token, expiresAt: expiresAt.toISOString() };
    },

    async consumeLearnerLink(token, now = new Date()) {
      if (typeof token !== 'string' || !LINK_TOKEN.test(token)) return { status: 'unknown' };
      const hash = hashSecret(token);
      return run(async () => {
        // Check and consume in one statement: of two concurrent requests only one gets the row.
        const row = await db
          .updateTable('learner_links')
          .set({ consumed_at: now })
          .where('token_hash', '=', hash)
          .where('consumed_at', 'is', null)
          .where('expires_at', '>', now)
          .returning(['learner_id', 'path_slug'])
          .executeTakeFirst();
        if (row) return { status: 'ok', learnerId: row.learner_id, slug: row.path_slug };
        const seen = await db.selectFrom('learner_links').select(['consumed_at']).where('token_hash', '=', hash).executeTakeFirst();
        if (!seen) return { status: 'unknown' };
        return { status: seen.consumed_at === null ? 'expired' : 'used' };
      });
    },

    async createSession(input) {
      const learnerId = checkLearnerId(input.learnerId);
      const expiresAt = checkExpiry(input.expiresAt);
      const id = secret('lps_');
      const csrfToken = randomBytes(32).toString('base64url');
      await run(() => db.insertInto('learner_sessions').values({ id_hash: hashSecret(id), learner_id: learnerId, csrf_secret: csrfToken, expires_at: expiresAt }).execute());
      return { id, csrfToken, learnerId, expiresAt: expiresAt.toISOString() };
    },

    async getSession(id, now = new Date()) {
      if (typeof id !== 'string' || !SESSION_ID.test(id)) return null;
      const row = await run(() =>
        db
          .selectFrom('learner_sessions')
          .select(['learner_id', 'csrf_secret', 'expires_at'])
          .where('id_hash', '=', hashSecret(id))
          .where('ended_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst(),
      );
      return row ? { learnerId: row.learner_id, csrfToken: row.csrf_secret, expiresAt: iso(row.expires_at) } : null;
    },

    async endSession(id, now = new Date()) {
      if (typeof id !== 'string' || !SESSION_ID.test(id)) return { ended: false };
      const row = await run(() =>
        db
          .updateTable('learner_sessions')
          .set({ ended_at: now })
          .where('id_hash', '=', hashSecret(id))
          .where('ended_at', 'is', null)
          .where('expires_at', '>', now)
          .returning('learner_id')
          .executeTakeFirst(),
      );
      return { ended: row !== undefined };
    },
  };
}
