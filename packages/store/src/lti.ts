import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { StoreInputError } from './errors.js';
import type { Tables } from './tables.js';
import { hashSecret } from './sessions.js';
import { checkLearnerId, checkSlug } from './validate.js';

/** A tool signing key as stored: the private key as a JWK. */
export interface LtiToolKeyRecord {
  kid: string;
  privateJwk: Record<string, unknown>;
  createdAt: Date;
}

/** A platform registration as stored (after Dynamic Registration). */
export interface LtiPlatformRecord {
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  authLoginUrl: string;
  accessTokenUrl: string;
  jwksUrl: string;
  /** Whether names and emails sent by the platform may be kept (default false). */
  keepPersonalData?: boolean;
}

/** A platform user's name and email, kept only where the platform's registration allows it. */
export interface LtiPersonRecord {
  learnerId: string;
  name: string | null;
  email: string | null;
}

/** The course an instructor session may see the progress of. */
export interface LtiCourseView {
  learnerId: string;
  issuer: string;
  clientId: string;
  contextId: string;
  /** The course's title, when the platform named it. */
  title: string | null;
}

/** A launch: the course a learner opened a path from, and the line item their progress goes to. */
export interface LtiLaunchRecord {
  learnerId: string;
  slug: string;
  issuer: string;
  clientId: string;
  /** The platform's course (context) id; '' when the launch named none. */
  contextId: string;
  /** The AGS line item; '' when the link is not graded. */
  lineItem: string;
  /** The learner on the platform (`sub`). */
  userId: string;
}

/** A score to deliver to a platform line item. */
export interface LtiOutboxScore {
  issuer: string;
  clientId: string;
  lineItem: string;
  /** The learner on the platform (`sub`). */
  userId: string;
  /** The AGS score document. */
  score: Record<string, unknown>;
}

/** An outbox entry: a score with its place and attempts. */
export interface LtiOutboxEntry extends LtiOutboxScore {
  id: string;
  attempts: number;
  enqueuedAt: Date;
}

/** The tool's key storage; private keys are encrypted with `secret` when one is given. */
export interface LtiToolKeyOperations {
  /** Every key not retired. Throws `StoreInputError` when a key is encrypted and the secret is missing or wrong. */
  listKeys(): Promise<LtiToolKeyRecord[]>;
  /** Stores a new key (encrypted when the store has a secret). */
  addKey(key: LtiToolKeyRecord): Promise<void>;
  /** Stores `key` only when no key is active, atomically: replicas starting together end up with one key. Resolves to whether it was stored. */
  addFirstKey(key: LtiToolKeyRecord): Promise<boolean>;
  /** Retires a key: no longer listed. */
  retireKey(kid: string): Promise<void>;
}

/** The grade outbox: one queue per platform, line item and learner, delivered in order by leased claims. */
export interface LtiOutboxOperations {
  enqueue(score: LtiOutboxScore, now: Date): Promise<LtiOutboxEntry>;
  /** The head of each queue that is due and not leased, locked with SKIP LOCKED and leased until `leaseUntil`. */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<LtiOutboxEntry[]>;
  markDelivered(id: string): Promise<void>;
  markFailed(id: string, nextAttemptAt: Date, error: string): Promise<void>;
  markAbandoned(id: string, error: string): Promise<void>;
  nextDueAt(): Promise<Date | null>;
  /** Entries waiting to be delivered, oldest first (for operators and tests). */
  listWaiting(): Promise<LtiOutboxEntry[]>;
}

/** LTI storage of the store. */
export interface LtiOperations {
  /** Records a launch nonce as used until `expiresAt`: true the first time, false on any later use, on any replica. Expired nonces are removed. */
  useNonce(nonce: string, expiresAt: Date, now?: Date): Promise<boolean>;
  /** The tool key storage; `secret` (e.g. `LTI_KEY_SECRET`) encrypts private keys at rest, null keeps them in plain JSON. */
  toolKeys(secret: string | null): LtiToolKeyOperations;
  /** Registrations of `issuer`. */
  findPlatforms(issuer: string): Promise<LtiPlatformRecord[]>;
  /** Stores a registration; a second registration of the same issuer and client id adds its deployments. */
  savePlatform(platform: LtiPlatformRecord): Promise<void>;
  /** Remembers that a learner launched a path from a link (idempotent per line item). */
  recordLaunch(launch: LtiLaunchRecord): Promise<void>;
  /** The links a learner launched a path from. */
  listLaunches(learnerId: string, slug: string): Promise<LtiLaunchRecord[]>;
  /** The learners who launched a path from one course (context) of a platform. */
  listCourseLearners(course: { issuer: string; clientId: string; contextId: string; slug: string }): Promise<string[]>;
  /** Keeps a person's name and email (replacing what was kept); both null forgets them. */
  savePerson(person: LtiPersonRecord): Promise<void>;
  /** The kept names and emails of `learnerIds` (those without any are absent). */
  listPeople(learnerIds: readonly string[]): Promise<LtiPersonRecord[]>;
  /** Lets session `sessionId` (of an instructor launch) see the progress of one course until `expiresAt`. */
  grantCourseView(sessionId: string, view: LtiCourseView, expiresAt: Date): Promise<void>;
  /** The course session `sessionId` may see, or null (a learner's session, or expired). */
  findCourseView(sessionId: string, now?: Date): Promise<LtiCourseView | null>;
  /** The grade outbox. */
  readonly outbox: LtiOutboxOperations;
}

const ENCRYPTED_PREFIX = 'aes256gcm.';
// Advisory lock held while the first tool key is generated.
const FIRST_KEY_LOCK = 4_377_120_015;

function encryptionKey(secret: string): Buffer {
  // The secret is an operator's configuration value; HKDF turns it into a 256-bit key.
  return Buffer.from(hkdfSync('sha256', secret, 'learnpath', 'lti tool keys', 32));
}

function encrypt(plain: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${ENCRYPTED_PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
}

function decrypt(stored: string, secret: string | null, kid: string): string {
  if (secret === null) throw new StoreInputError(`LTI tool key ${kid} is stored encrypted: set the secret it was stored with (LTI_KEY_SECRET)`, 'secret');
  const [iv, tag, body] = stored.slice(ENCRYPTED_PREFIX.length).split('.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey(secret), Buffer.from(iv ?? '', 'base64url'));
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new StoreInputError(`LTI tool key ${kid} cannot be decrypted: the secret (LTI_KEY_SECRET) is not the one it was stored with`, 'secret');
  }
}

const date = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

type OutboxRow = { seq: string; issuer: string; client_id: string; line_item: string; user_id: string; score: string; attempts: number; enqueued_at: Date | string };

const entryOf = (row: OutboxRow): LtiOutboxEntry => ({
  id: String(row.seq),
  issuer: row.issuer,
  clientId: row.client_id,
  lineItem: row.line_item,
  userId: row.user_id,
  score: JSON.parse(row.score) as Record<string, unknown>,
  attempts: Number(row.attempts),
  enqueuedAt: date(row.enqueued_at),
});

function checkId(id: string): string {
  if (!/^\d{1,19}$/.test(id)) throw new StoreInputError('outbox entry id: expected a number', 'id');
  return id;
}

/** The LTI operations over a migrated database; `run` maps closed stores and unreachable servers. */
export function createLtiOperations(db: Kysely<Tables>, run: <T>(operation: () => Promise<T>) => Promise<T>): LtiOperations {
  const outboxColumns = [sql<string>`cast(seq as text)`.as('seq'), 'issuer', 'client_id', 'line_item', 'user_id', 'score', 'attempts', 'enqueued_at'] as const;

  const outbox: LtiOutboxOperations = {
    async enqueue(score, now) {
      const row = await run(() =>
        db
          .insertInto('lti_outbox')
          .values({ issuer: score.issuer, client_id: score.clientId, line_item: score.lineItem, user_id: score.userId, score: JSON.stringify(score.score), enqueued_at: now, due_at: now })
          .returning(outboxColumns)
          .executeTakeFirstOrThrow(),
      );
      return entryOf(row);
    },

    async claimDue(now, leaseUntil, limit) {
      const count = Math.max(1, Math.min(1000, Math.trunc(limit)));
      // The heads come from the statement's snapshot; the lock then re-reads each head row, so a
      // head another replica leased or delivered meanwhile is skipped, never its successor taken.
      const result = await run(() =>
        sql<OutboxRow>`
          with heads as (
            select distinct on (issuer, client_id, line_item, user_id) seq
            from lti_outbox
            where state = 'waiting'
            order by issuer, client_id, line_item, user_id, seq
          ), claimable as (
            select o.seq from lti_outbox o join heads h on h.seq = o.seq
            where o.state = 'waiting' and o.due_at <= ${now} and (o.lease_until is null or o.lease_until <= ${now})
            order by o.seq
            limit ${count}
            for update of o skip locked
          )
          update lti_outbox set lease_until = ${leaseUntil}
          from claimable where lti_outbox.seq = claimable.seq
          returning cast(lti_outbox.seq as text) as seq, issuer, client_id, line_item, user_id, score, attempts, enqueued_at`.execute(db),
      );
      return result.rows.map(entryOf).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    },

    async markDelivered(id) {
      const seq = checkId(id);
      await run(() => db.deleteFrom('lti_outbox').where('seq', '=', seq).execute());
    },

    async markFailed(id, nextAttemptAt, error) {
      const seq = checkId(id);
      await run(() =>
        db
          .updateTable('lti_outbox')
          .set({ attempts: sql`attempts + 1`, due_at: nextAttemptAt, lease_until: null, last_error: error.slice(0, 2000) })
          .where('seq', '=', seq)
          .execute(),
      );
    },

    async markAbandoned(id, error) {
      const seq = checkId(id);
      await run(() => db.updateTable('lti_outbox').set({ state: 'abandoned', lease_until: null, last_error: error.slice(0, 2000) }).where('seq', '=', seq).execute());
    },

    async nextDueAt() {
      // Only the head of a queue can be claimed, so only heads count.
      const result = await run(() =>
        sql<{ due: Date | string | null }>`
          select min(greatest(due_at, coalesce(lease_until, due_at))) as due from (
            select distinct on (issuer, client_id, line_item, user_id) due_at, lease_until
            from lti_outbox where state = 'waiting'
            order by issuer, client_id, line_item, user_id, seq
          ) heads`.execute(db),
      );
      const due = result.rows[0]?.due;
      return due ? date(due) : null;
    },

    async listWaiting() {
      const rows = await run(() => db.selectFrom('lti_outbox').select(outboxColumns).where('state', '=', 'waiting').orderBy('seq').execute());
      return rows.map(entryOf);
    },
  };

  return {
    async useNonce(nonce, expiresAt, now = new Date()) {
      if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 1000) throw new StoreInputError('nonce: expected 1–1000 characters', 'nonce');
      return run(async () => {
        await db.deleteFrom('lti_nonces').where('expires_at', '<', now).execute();
        const inserted = await db
          .insertInto('lti_nonces')
          .values({ nonce, expires_at: expiresAt })
          .onConflict((oc) => oc.column('nonce').doNothing())
          .returning('nonce')
          .executeTakeFirst();
        return inserted !== undefined;
      });
    },

    toolKeys(secret) {
      return {
        async listKeys() {
          const rows = await run(() => db.selectFrom('lti_tool_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').execute());
          return rows.map((row) => ({
            kid: row.kid,
            privateJwk: JSON.parse(row.encrypted ? decrypt(row.private_key, secret, row.kid) : row.private_key) as Record<string, unknown>,
            createdAt: date(row.created_at),
          }));
        },
        async addKey(key) {
          const plain = JSON.stringify(key.privateJwk);
          await run(() =>
            db
              .insertInto('lti_tool_keys')
              .values({ kid: key.kid, private_key: secret === null ? plain : encrypt(plain, secret), encrypted: secret !== null, created_at: key.createdAt })
              .onConflict((oc) => oc.column('kid').doNothing())
              .execute(),
          );
        },
        async addFirstKey(key) {
          const plain = JSON.stringify(key.privateJwk);
          return run(() =>
            db.transaction().execute(async (trx) => {
              await sql`select pg_advisory_xact_lock(${sql.lit(FIRST_KEY_LOCK)})`.execute(trx);
              const any = await trx.selectFrom('lti_tool_keys').select('kid').where('retired_at', 'is', null).executeTakeFirst();
              if (any) return false;
              await trx
                .insertInto('lti_tool_keys')
                .values({ kid: key.kid, private_key: secret === null ? plain : encrypt(plain, secret), encrypted: secret !== null, created_at: key.createdAt })
                .execute();
              return true;
            }),
          );
        },
        async retireKey(kid) {
          await run(() => db.updateTable('lti_tool_keys').set({ retired_at: new Date() }).where('kid', '=', kid).where('retired_at', 'is', null).execute());
        },
      };
    },

    async findPlatforms(issuer) {
      const rows = await run(() => db.selectFrom('lti_platforms').selectAll().where('issuer', '=', issuer).orderBy('registered_at').execute());
      return rows.map((row) => ({
        issuer: row.issuer,
        clientId: row.client_id,
        deploymentIds: JSON.parse(row.deployment_ids) as string[],
        authLoginUrl: row.auth_login_url,
        accessTokenUrl: row.access_token_url,
        jwksUrl: row.jwks_url,
        keepPersonalData: row.keep_personal_data,
      }));
    },

    async savePlatform(platform) {
      await run(() =>
        db.transaction().execute(async (trx) => {
          const existing = await trx
            .selectFrom('lti_platforms')
            .select('deployment_ids')
            .where('issuer', '=', platform.issuer)
            .where('client_id', '=', platform.clientId)
            .forUpdate()
            .executeTakeFirst();
          const deployments = [...new Set([...(existing ? (JSON.parse(existing.deployment_ids) as string[]) : []), ...platform.deploymentIds])];
          const values = {
            deployment_ids: JSON.stringify(deployments),
            auth_login_url: platform.authLoginUrl,
            access_token_url: platform.accessTokenUrl,
            jwks_url: platform.jwksUrl,
            keep_personal_data: platform.keepPersonalData === true,
          };
          await trx
            .insertInto('lti_platforms')
            .values({ issuer: platform.issuer, client_id: platform.clientId, ...values })
            .onConflict((oc) => oc.columns(['issuer', 'client_id']).doUpdateSet(values))
            .execute();
        }),
      );
    },

    async recordLaunch(launch) {
      const learnerId = checkLearnerId(launch.learnerId);
      const slug = checkSlug(launch.slug, 'slug');
      await run(() =>
        db
          .insertInto('lti_launches')
          .values({ learner_id: learnerId, path_slug: slug, issuer: launch.issuer, client_id: launch.clientId, context_id: launch.contextId, line_item: launch.lineItem, user_id: launch.userId })
          .onConflict((oc) => oc.columns(['learner_id', 'path_slug', 'issuer', 'client_id', 'line_item']).doUpdateSet({ user_id: launch.userId, context_id: launch.contextId, launched_at: sql`now()` }))
          .execute(),
      );
    },

    async listLaunches(learnerIdInput, slugInput) {
      const learnerId = checkLearnerId(learnerIdInput);
      const slug = checkSlug(slugInput, 'slug');
      const rows = await run(() => db.selectFrom('lti_launches').selectAll().where('learner_id', '=', learnerId).where('path_slug', '=', slug).orderBy('launched_at').execute());
      return rows.map((r) => ({ learnerId: r.learner_id, slug: r.path_slug, issuer: r.issuer, clientId: r.client_id, contextId: r.context_id, lineItem: r.line_item, userId: r.user_id }));
    },

    async listCourseLearners(course) {
      const slug = checkSlug(course.slug, 'slug');
      const rows = await run(() =>
        db
          .selectFrom('lti_launches')
          .select('learner_id')
          .distinct()
          .where('issuer', '=', course.issuer)
          .where('client_id', '=', course.clientId)
          .where('context_id', '=', course.contextId)
          .where('path_slug', '=', slug)
          .orderBy('learner_id')
          .execute(),
      );
      return rows.map((r) => r.learner_id);
    },

    async savePerson(person) {
      const learnerId = checkLearnerId(person.learnerId);
      const name = optionalText(person.name, 'name');
      const email = optionalText(person.email, 'email');
      if (name === null && email === null) {
        await run(() => db.deleteFrom('lti_people').where('learner_id', '=', learnerId).execute());
        return;
      }
      const values = { name, email, updated_at: new Date() };
      await run(() =>
        db
          .insertInto('lti_people')
          .values({ learner_id: learnerId, ...values })
          .onConflict((oc) => oc.column('learner_id').doUpdateSet(values))
          .execute(),
      );
    },

    async listPeople(learnerIds) {
      const ids = learnerIds.map((id) => checkLearnerId(id));
      if (ids.length === 0) return [];
      const rows = await run(() => db.selectFrom('lti_people').select(['learner_id', 'name', 'email']).where('learner_id', 'in', ids).orderBy('learner_id').execute());
      return rows.map((r) => ({ learnerId: r.learner_id, name: r.name, email: r.email }));
    },

    async grantCourseView(sessionId, view, expiresAt) {
      if (typeof sessionId !== 'string' || sessionId === '') throw new StoreInputError('sessionId: expected the session id', 'sessionId');
      const learnerId = checkLearnerId(view.learnerId);
      await run(() =>
        db
          .insertInto('lti_course_views')
          .values({ session_hash: hashSecret(sessionId), learner_id: learnerId, issuer: view.issuer, client_id: view.clientId, context_id: view.contextId, context_title: optionalText(view.title, 'title'), expires_at: expiresAt })
          .onConflict((oc) => oc.column('session_hash').doNothing())
          .execute(),
      );
    },

    async findCourseView(sessionId, now = new Date()) {
      if (typeof sessionId !== 'string' || sessionId === '') return null;
      const row = await run(() =>
        db
          .selectFrom('lti_course_views')
          .select(['learner_id', 'issuer', 'client_id', 'context_id', 'context_title'])
          .where('session_hash', '=', hashSecret(sessionId))
          .where('expires_at', '>', now)
          .executeTakeFirst(),
      );
      return row ? { learnerId: row.learner_id, issuer: row.issuer, clientId: row.client_id, contextId: row.context_id, title: row.context_title } : null;
    },

    outbox,
  };
}

// Names and emails come from platforms: bounded, so that a platform cannot fill the database.
function optionalText(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string' || value.length > 500) throw new StoreInputError(`${field}: expected at most 500 characters`, field);
  return value;
}
