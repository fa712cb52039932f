import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { LtiError } from './errors.js';
import type { ToolKeySet } from './tool-keys.js';

/** What the login step hands to the launch step through the browser. */
export interface LoginState {
  /** State id; also names the cookie that binds the state to the browser. */
  id: string;
  /** The nonce sent to the platform, which the id_token must carry. */
  nonce: string;
  issuer: string;
  clientId: string;
  targetLinkUri: string;
  /** The deployment named at login, if any; the id_token must then carry it. */
  deploymentId: string | undefined;
  /** The platform's opaque hints of the login, kept to start it again in a new window. */
  loginHint: string;
  messageHint: string | undefined;
}

/**
 * Where a login keeps its browser secret besides the cookie: the platform's storage frame
 * (LTI Client Side postMessages), for browsers that do not send the tool's cookies in the LMS frame.
 */
export interface PlatformStorage {
  /** The frame that answers `lti.put_data` and `lti.get_data`: `_parent`, or a frame of the parent by name. */
  target: string;
  /** The origin messages go to and come from: the platform's OIDC authentication endpoint's. */
  origin: string;
}

/** A cookie to set on the browser. */
export interface StateCookie {
  name: string;
  value: string;
  /** The complete `Set-Cookie` header value. */
  header: string;
}

const STATE_AUDIENCE = 'learnpath-lti-state';
/** How long a browser has from login to launch. */
export const STATE_TTL_SECONDS = 600;
const COOKIE_PREFIX = 'lti_state_';

const random = (bytes: number): string => randomBytes(bytes).toString('base64url');
const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');

/** The cookie name that binds state `id` to a browser; also the key of its secret in the platform's storage. */
export function stateCookieName(id: string): string {
  return `${COOKIE_PREFIX}${id}`;
}

// The LMS frames the tool on another site, so the cookie must be sent in a cross-site POST:
// SameSite=None requires Secure (Chromium also accepts Secure on http://127.0.0.1 and
// localhost). Partitioned keeps it working where third-party cookies are blocked, because
// login and launch happen in the same frame under the same top-level site.
function cookieHeader(name: string, value: string, maxAge: number, path: string): string {
  return `${name}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=None; Partitioned`;
}

/**
 * Starts a login: a fresh state and nonce, the state signed by the tool (so any replica can
 * read it without a shared table) and a cookie whose hash the state carries (so only the
 * browser that logged in can launch with it).
 */
export async function createLoginState(
  input: Omit<LoginState, 'id' | 'nonce'>,
  keys: ToolKeySet,
  options: { cookiePath?: string; now?: Date; storage?: PlatformStorage } = {},
): Promise<{ state: string; nonce: string; cookie: StateCookie }> {
  const id = random(16);
  const nonce = random(24);
  const secret = random(24);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const key = keys.signingKey;
  const state = await new SignJWT({
    nonce,
    platform_iss: input.issuer,
    client_id: input.clientId,
    target_link_uri: input.targetLinkUri,
    ...(input.deploymentId === undefined ? {} : { deployment_id: input.deploymentId }),
    login_hint: input.loginHint,
    ...(input.messageHint === undefined ? {} : { lti_message_hint: input.messageHint }),
    browser: digest(secret),
    ...(options.storage === undefined ? {} : { storage: { target: options.storage.target, origin: options.storage.origin } }),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setAudience(STATE_AUDIENCE)
    .setJti(id)
    .setIssuedAt(now)
    .setExpirationTime(now + STATE_TTL_SECONDS)
    .sign(key.privateKey);
  const name = stateCookieName(id);
  return { state, nonce, cookie: { name, value: secret, header: cookieHeader(name, secret, STATE_TTL_SECONDS, options.cookiePath ?? '/lti') } };
}

/** The `Set-Cookie` header that removes the state cookie after a launch. */
export function clearStateCookie(id: string, cookiePath = '/lti'): string {
  return cookieHeader(stateCookieName(id), '', 0, cookiePath);
}

/**
 * The launch came without the state cookie, and its login kept the browser secret in the
 * platform's storage too: the browser is to read it from there and post the launch again.
 */
export class StateInPlatformStorage extends Error {
  override readonly name = 'StateInPlatformStorage';
  constructor(
    readonly stateId: string,
    readonly storage: PlatformStorage,
  ) {
    super('The state cookie is missing; the login kept the state in the platform storage.');
  }
}

/** What a launch brings back from the platform's storage: the secret (when found), and whether it was looked for. */
export interface StoredSecret {
  secret: string | undefined;
  looked: boolean;
}

function storageOf(payload: Record<string, unknown>): PlatformStorage | undefined {
  const storage = payload.storage as { target?: unknown; origin?: unknown } | undefined;
  return storage !== null && typeof storage === 'object' && typeof storage.target === 'string' && typeof storage.origin === 'string'
    ? { target: storage.target, origin: storage.origin }
    : undefined;
}

/**
 * Checks the returned state: signed by this tool, not expired, and bound to this browser by its
 * cookie, or (when the browser did not send it) by the secret the login kept in the platform's
 * storage. Throws `StateInPlatformStorage` when that secret is still to be read.
 */
export async function verifyLoginState(
  state: string | undefined,
  cookies: Readonly<Record<string, string>>,
  keys: ToolKeySet,
  now = new Date(),
  stored: StoredSecret = { secret: undefined, looked: false },
): Promise<LoginState> {
  if (state === undefined || state === '') throw new LtiError('state', 'The launch carries no state.');
  // A state signed through another replica with a key added there since this one last read the keys.
  await keys.refreshFor(protectedKid(state));
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(state, createLocalJWKSet(keys.jwks()), { algorithms: ['RS256'], audience: STATE_AUDIENCE, currentDate: now, requiredClaims: ['jti', 'exp'] }));
  } catch {
    throw new LtiError('state', 'The state is not one this tool issued, or it has expired (a launch must follow its login within 10 minutes).');
  }
  const id = payload.jti as string;
  const cookie = cookies[stateCookieName(id)] ?? (stored.secret === '' ? undefined : stored.secret);
  if (cookie === undefined) {
    const storage = storageOf(payload);
    if (storage !== undefined && !stored.looked) throw new StateInPlatformStorage(id, storage);
    // Browsers that block cookies in frames of other sites lose it inside the LMS; in a window of
    // its own the tool is the top-level site and the cookie works, so the page offers that.
    throw new LtiError(
      'state',
      'The state cookie is missing: this browser did not start the login, or it blocks the cookies of tools shown inside the course page.',
      400,
      reopenParams(payload),
    );
  }
  const expected = Buffer.from(String(payload.browser));
  const actual = Buffer.from(digest(cookie));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new LtiError('state', 'The state does not belong to this browser.');
  return {
    id,
    nonce: String(payload.nonce),
    issuer: String(payload.platform_iss),
    clientId: String(payload.client_id),
    targetLinkUri: String(payload.target_link_uri),
    deploymentId: typeof payload.deployment_id === 'string' ? payload.deployment_id : undefined,
    loginHint: String(payload.login_hint),
    messageHint: typeof payload.lti_message_hint === 'string' ? payload.lti_message_hint : undefined,
  };
}

// The login initiation parameters of a verified state (the signature makes them this tool's own).
function reopenParams(payload: Record<string, unknown>): Record<string, string> | undefined {
  if (typeof payload.login_hint !== 'string') return undefined;
  const params: Record<string, string> = {
    iss: String(payload.platform_iss),
    login_hint: payload.login_hint,
    target_link_uri: String(payload.target_link_uri),
    client_id: String(payload.client_id),
  };
  if (typeof payload.lti_message_hint === 'string') params.lti_message_hint = payload.lti_message_hint;
  if (typeof payload.deployment_id === 'string') params.lti_deployment_id = payload.deployment_id;
  return params;
}

/** The `kid` a JWS names in its protected header, if it can be read. */
export function protectedKid(token: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a `Cookie` request header into name → value. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in cookies)) cookies[name] = part.slice(eq + 1).trim();
  }
  return cookies;
}
