import { createHash } from 'node:crypto';
import type { Store } from '@learnpath/store';

/**
 * The learner id of a platform user: `lti-` and the SHA-256 of issuer and `sub` together, so
 * the store never holds the platform's user id and two platforms' users never meet.
 */
export function ltiLearnerId(issuer: string, sub: string): string {
  return `lti-${createHash('sha256').update(`${issuer}\u0000${sub}`, 'utf8').digest('base64url')}`;
}

/** Opens a learner session after a launch; resolves to the Set-Cookie header that carries it. */
export interface LtiSessionStarter {
  start(learnerId: string): Promise<string>;
}

/** The name of the learner session cookie. */
export const SESSION_COOKIE = 'lp_session';

/** How long a session opened by a launch lasts: a working day; the next launch opens a new one. */
export const LAUNCH_SESSION_SECONDS = 8 * 60 * 60;

/** Sessions in the learner store, carried by an HttpOnly cookie that works inside the LMS frame. */
export class StoreSessionStarter implements LtiSessionStarter {
  constructor(
    readonly store: Store,
    readonly now: () => Date = () => new Date(),
  ) {}

  async start(learnerId: string): Promise<string> {
    const session = await this.store.createSession({ learnerId, expiresAt: new Date(this.now().getTime() + LAUNCH_SESSION_SECONDS * 1000) });
    // The LMS frames the tool on another site: SameSite=None (which needs Secure) and Partitioned
    // keep the cookie in the frame; the store keeps only the id's hash.
    return `${SESSION_COOKIE}=${session.id}; Path=/; Max-Age=${LAUNCH_SESSION_SECONDS}; HttpOnly; Secure; SameSite=None; Partitioned`;
  }
}
