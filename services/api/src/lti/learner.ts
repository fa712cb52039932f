import { createHash } from 'node:crypto';
import type { Store } from '@learnpath/store';
import { sessionCookieHeader, SESSION_TTL_SECONDS } from '../learn/session-cookie.js';

export { SESSION_COOKIE } from '../learn/session-cookie.js';

/**
 * The learner id of a platform user: `lti-` and the SHA-256 of issuer and `sub` together, so
 * the store never holds the platform's user id and two platforms' users never meet.
 */
export function ltiLearnerId(issuer: string, sub: string): string {
  return `lti-${createHash('sha256').update(`${issuer}\u0000${sub}`, 'utf8').digest('base64url')}`;
}

/** A session opened by a launch. */
export interface StartedSession {
  /** The session id (secret: it goes into the cookie only). */
  id: string;
  /** The Set-Cookie header that carries it. */
  cookie: string;
  expiresAt: Date;
}

/** Opens a learner session after a launch. */
export interface LtiSessionStarter {
  start(learnerId: string): Promise<StartedSession>;
}

/** Learner sessions in the store, carried by the learner pages' session cookie (it works inside the LMS frame). */
export class StoreSessionStarter implements LtiSessionStarter {
  constructor(
    readonly store: Store,
    readonly now: () => Date = () => new Date(),
  ) {}

  async start(learnerId: string): Promise<StartedSession> {
    const expiresAt = new Date(this.now().getTime() + SESSION_TTL_SECONDS * 1000);
    const session = await this.store.createSession({ learnerId, expiresAt });
    return { id: session.id, cookie: sessionCookieHeader(session.id, SESSION_TTL_SECONDS), expiresAt };
  }
}
