import { randomBytes } from 'node:crypto';
import { discardBody, readLimitedJson } from '../http/read-limited.js';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { SCORE_SCOPE } from './claims.js';
import type { LtiPlatform } from './platforms.js';
import type { ToolKeySet } from './tool-keys.js';

/** A score as AGS 2.0 §3.4 defines it (`application/vnd.ims.lis.v1.score+json`). */
export const ScoreSchema = z.object({
  userId: z.string().min(1).describe('The platform user id (`sub` of the launch).'),
  scoreGiven: z.number().min(0).max(100).describe('The percent of the path completed.'),
  scoreMaximum: z.literal(100),
  activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
  gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
  timestamp: z.iso.datetime({ offset: true }),
});
/** A score to post. */
export type Score = z.output<typeof ScoreSchema>;

/** The media type of a score. */
export const SCORE_CONTENT_TYPE = 'application/vnd.ims.lis.v1.score+json';

/** The score for a learner at `percent` of a path: in progress and pending until complete, then completed and fully graded. */
export function buildScore(userId: string, percent: number, at: Date): Score {
  const given = Math.max(0, Math.min(100, percent));
  const complete = given >= 100;
  return {
    userId,
    scoreGiven: given,
    scoreMaximum: 100,
    activityProgress: complete ? 'Completed' : 'InProgress',
    gradingProgress: complete ? 'FullyGraded' : 'Pending',
    timestamp: at.toISOString(),
  };
}

/** The scores service of a line item: `{lineitem}/scores`, keeping the line item's query. */
export function scoresUrl(lineItem: string): string {
  const url = new URL(lineItem);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/scores`;
  return url.href;
}

/** Why a delivery failed, and whether trying again may help. */
export class AgsDeliveryError extends Error {
  override readonly name = 'AgsDeliveryError';
  constructor(
    message: string,
    /** False when the platform refused the request itself (a 4xx other than 401, 408, 429). */
    readonly retryable: boolean,
    /** The HTTP status, when there was a response. */
    readonly status?: number,
  ) {
    super(message);
  }
}

// A token answer is a few hundred bytes; anything beyond this is refused unread.
const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;
const TOKEN_RESPONSE = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.coerce.number().positive().optional(), scope: z.string().optional() });

/** Options of `AgsTokenClient`. */
export interface AgsClientOptions {
  keys: ToolKeySet;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Time allowed for one HTTP call. Default 10 s. */
  timeoutMs?: number;
}

/**
 * Access tokens for AGS: requested with a signed client assertion (RFC 7523, client_credentials)
 * and cached per platform and scopes until shortly before they expire.
 */
export class AgsTokenClient {
  readonly #cache = new Map<string, { token: string; expiresAt: number }>();
  readonly #options: AgsClientOptions;

  constructor(options: AgsClientOptions) {
    this.#options = options;
  }

  /** A valid access token for `scopes` on `platform`. */
  async accessToken(platform: LtiPlatform, scopes: readonly string[] = [SCORE_SCOPE]): Promise<string> {
    const now = (this.#options.now ?? Date.now)();
    const cacheKey = `${platform.issuer}\u0000${platform.clientId}\u0000${[...scopes].sort().join(' ')}`;
    const cached = this.#cache.get(cacheKey);
    if (cached && cached.expiresAt > now) return cached.token;

    const assertion = await this.clientAssertion(platform, now);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: scopes.join(' '),
    });
    const response = await this.#call(platform.accessTokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body });
    if (!response.ok) {
      await discardBody(response);
      throw failure('the platform refused the access token request', response.status);
    }
    const parsed = TOKEN_RESPONSE.safeParse(await readLimitedJson(response, MAX_TOKEN_ANSWER_BYTES).catch(() => null));
    if (!parsed.success) throw new AgsDeliveryError('the platform answered the token request with something that is not a token', true);
    // A minute of margin, so a token never expires between this check and its use.
    const lifetime = (parsed.data.expires_in ?? 3600) * 1000;
    this.#cache.set(cacheKey, { token: parsed.data.access_token, expiresAt: now + Math.max(0, lifetime - 60_000) });
    return parsed.data.access_token;
  }

  /** Forgets the cached tokens of `platform` (after a 401). */
  forget(platform: LtiPlatform): void {
    for (const key of this.#cache.keys()) if (key.startsWith(`${platform.issuer}\u0000${platform.clientId}\u0000`)) this.#cache.delete(key);
  }

  /** The signed client assertion: iss = sub = client id, aud = the token endpoint. */
  async clientAssertion(platform: LtiPlatform, now: number): Promise<string> {
    // The outbox runs outside requests: it reads keys added through other replicas itself.
    await this.#options.keys.refresh();
    const key = this.#options.keys.signingKey;
    const iat = Math.floor(now / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.accessTokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setJti(randomBytes(16).toString('base64url'))
      .sign(key.privateKey);
  }

  /** Posts `score` to the line item; a 401 drops the cached token and tries once more with a new one. */
  async postScore(platform: LtiPlatform, lineItem: string, score: Score): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(platform);
      const response = await this.#call(scoresUrl(lineItem), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': SCORE_CONTENT_TYPE },
        body: JSON.stringify(score),
      });
      await discardBody(response);
      if (response.ok) return;
      if (response.status === 401 && attempt === 0) {
        this.forget(platform);
        continue;
      }
      throw failure('the platform refused the score', response.status);
    }
  }

  async #call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await (this.#options.fetch ?? globalThis.fetch)(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000) });
    } catch (error) {
      throw new AgsDeliveryError(`the platform could not be reached (${(error as Error).message})`, true);
    }
  }
}

function failure(what: string, status: number): AgsDeliveryError {
  const retryable = status >= 500 || status === 401 || status === 408 || status === 429;
  return new AgsDeliveryError(`${what} (HTTP ${status})`, retryable, status);
}
