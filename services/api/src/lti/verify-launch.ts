import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { z } from 'zod';
import { CLAIM, INSTRUCTOR_ROLES, LTI_VERSION } from './claims.js';
import { LtiError } from './errors.js';
import { DeepLinkingClaimsSchema, ResourceLinkClaimsSchema, type AgsEndpoint, type DeepLinkingSettings } from './launch-claims.js';
import type { LtiNonceStore } from './nonce-store.js';
import type { PlatformKeySets } from './platform-keys.js';
import { resolvePlatform, type LtiPlatform, type LtiPlatformRegistry } from './platforms.js';
import { verifyLoginState, type LoginState, type StoredSecret } from './state.js';
import type { ToolKeySet } from './tool-keys.js';

/** What every verified launch tells the tool. */
interface VerifiedLaunchBase {
  platform: LtiPlatform;
  deploymentId: string;
  /** The state id (names the cookie to clear). */
  stateId: string;
  /** The platform's user id, when sent. */
  sub: string | undefined;
  /** Name and email, only when the platform sent them. */
  name: string | undefined;
  email: string | undefined;
  roles: string[];
  /** Whether a LIS role makes this person an instructor of the context. */
  instructor: boolean;
  context: { id: string; title: string | undefined } | undefined;
  /** Custom parameters, as text. */
  custom: Record<string, string>;
}

/** A verified `LtiResourceLinkRequest`. */
export interface VerifiedResourceLinkLaunch extends VerifiedLaunchBase {
  messageType: 'LtiResourceLinkRequest';
  sub: string;
  targetLinkUri: string;
  resourceLink: { id: string; title: string | undefined };
  /** The AGS endpoint, when the platform grants it. */
  ags: AgsEndpoint | undefined;
  /** The learning path the link opens: the `path` custom parameter, or `/learn/{slug}` in the target link. */
  pathSlug: string | null;
}

/** A verified `LtiDeepLinkingRequest`. */
export interface VerifiedDeepLinkingLaunch extends VerifiedLaunchBase {
  messageType: 'LtiDeepLinkingRequest';
  settings: DeepLinkingSettings;
}

/** A launch whose every check passed. */
export type VerifiedLaunch = VerifiedResourceLinkLaunch | VerifiedDeepLinkingLaunch;

/** What `verifyLaunch` needs. */
export interface VerifyLaunchContext {
  registry: LtiPlatformRegistry;
  keys: ToolKeySet;
  platformKeys: PlatformKeySets;
  nonces: LtiNonceStore;
  /** Clock skew tolerated on `exp` and `iat`, in seconds. Default 60. */
  clockSkewSeconds?: number;
  now?: Date;
}

const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
const SLUG = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Verifies a launch (`id_token` and `state` posted by the platform) as LTI 1.3 Core §5.1.3 and
 * the Security Framework list: state bound to this browser, RS256 signature by the platform's
 * published key, iss, aud/azp, exp/iat, nonce, deployment, version, message type and required
 * claims. The nonce is used up only once everything else passed, so a refused launch stores
 * nothing. Throws `LtiError` naming the failed check.
 */
export async function verifyLaunch(
  form: { id_token?: string | undefined; state?: string | undefined },
  cookies: Readonly<Record<string, string>>,
  context: VerifyLaunchContext,
  stored?: StoredSecret,
): Promise<VerifiedLaunch> {
  const now = context.now ?? new Date();
  const state = await verifyLoginState(form.state, cookies, context.keys, now, stored);
  const token = form.id_token;
  if (token === undefined || token === '') throw new LtiError('token', 'The launch carries no id_token.');

  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    unverified = decodeJwt(token);
  } catch {
    throw new LtiError('token', 'The id_token is not a signed JWT.');
  }
  // Checked before any key is looked up: `none` and HMAC tokens are never verified, whatever key they name.
  if (header.alg !== 'RS256') throw new LtiError('alg', 'The id_token must be signed with RS256; other algorithms (none, HS256, …) are refused.');
  if (unverified.iss !== state.issuer) throw new LtiError('iss', 'The id_token comes from another platform (iss) than the login.');

  const platform = await resolvePlatform(context.registry, state.issuer, state.clientId);
  if (typeof platform === 'string') throw new LtiError('iss', 'The platform of this launch is no longer registered.');
  const key = await context.platformKeys.keyFor(platform.jwksUrl, header.kid);

  const skew = context.clockSkewSeconds ?? 60;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['RS256'], issuer: platform.issuer, clockTolerance: skew, currentDate: now, requiredClaims: ['exp', 'iat', 'aud', 'nonce'] }));
  } catch (error) {
    throw mapJoseError(error);
  }
  checkAudience(payload, platform.clientId);
  if (typeof payload.iat !== 'number' || payload.iat > now.getTime() / 1000 + skew) throw new LtiError('iat', 'The id_token is issued in the future (iat).');
  if (payload.nonce !== state.nonce) throw new LtiError('nonce', 'The id_token nonce is not the one sent at login.');
  if (payload[CLAIM.version] !== LTI_VERSION) throw new LtiError('version', `The launch is not LTI ${LTI_VERSION}.`);
  const messageType = payload[CLAIM.messageType];
  if (!MESSAGE_TYPES.includes(messageType as (typeof MESSAGE_TYPES)[number])) throw new LtiError('message_type', `The message type is not one this tool accepts (${MESSAGE_TYPES.join(', ')}).`);
  const deploymentId = payload[CLAIM.deploymentId];
  if (typeof deploymentId !== 'string' || !platform.deploymentIds.includes(deploymentId)) throw new LtiError('deployment', 'The deployment (deployment_id) is not registered for this platform.');
  if (state.deploymentId !== undefined && state.deploymentId !== deploymentId) throw new LtiError('deployment', 'The deployment differs from the one named at login.');

  const launch =
    messageType === 'LtiResourceLinkRequest'
      ? toResourceLinkLaunch(parseClaims(ResourceLinkClaimsSchema, payload), platform, state)
      : toDeepLinkingLaunch(parseClaims(DeepLinkingClaimsSchema, payload), platform, state);

  const expiresAt = new Date(((payload.exp as number) + skew) * 1000);
  if (!(await context.nonces.useNonce(state.nonce, expiresAt))) throw new LtiError('nonce', 'This launch was already used (the nonce is single use): start again from the course.');
  return launch;
}

function checkAudience(payload: JWTPayload, clientId: string): void {
  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(clientId)) throw new LtiError('aud', 'The id_token is not meant for this tool (aud).');
  if (audiences.length > 1 && payload.azp === undefined) throw new LtiError('azp', 'The id_token has several audiences but no authorized party (azp).');
  if (payload.azp !== undefined && payload.azp !== clientId) throw new LtiError('azp', 'The authorized party (azp) is not this tool.');
}

function mapJoseError(error: unknown): LtiError {
  if (error instanceof errors.JWTExpired) return new LtiError('exp', 'The id_token has expired (exp).');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new LtiError('signature', 'The id_token signature does not verify with the platform key.');
  if (error instanceof errors.JOSEAlgNotAllowed) return new LtiError('alg', 'The id_token must be signed with RS256.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const check = error.claim === 'iss' ? 'iss' : error.claim === 'iat' || error.claim === 'nbf' ? 'iat' : error.claim === 'aud' ? 'aud' : 'claims';
    return new LtiError(check, `The id_token claim "${error.claim}" is missing or invalid.`);
  }
  return new LtiError('token', 'The id_token cannot be read as a signed JWT.');
}

function parseClaims<S extends z.ZodType>(schema: S, payload: JWTPayload): z.output<S> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '(token)')))];
  // Claim names only: the values stay out of the message.
  throw new LtiError('claims', `Required claims are missing or malformed: ${names.join(', ')}.`);
}

function base(claims: z.output<typeof ResourceLinkClaimsSchema> | z.output<typeof DeepLinkingClaimsSchema>, platform: LtiPlatform, state: LoginState): Omit<VerifiedLaunchBase, never> {
  const roles = claims[CLAIM.roles];
  const context = claims[CLAIM.context];
  const custom: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims[CLAIM.custom] ?? {})) if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') custom[name] = String(value);
  return {
    platform,
    deploymentId: claims[CLAIM.deploymentId],
    stateId: state.id,
    sub: claims.sub,
    name: claims.name,
    email: claims.email,
    roles,
    instructor: roles.some((r) => INSTRUCTOR_ROLES.includes(r)),
    context: context === undefined ? undefined : { id: context.id, title: context.title },
    custom,
  };
}

function toResourceLinkLaunch(claims: z.output<typeof ResourceLinkClaimsSchema>, platform: LtiPlatform, state: LoginState): VerifiedResourceLinkLaunch {
  const common = base(claims, platform, state);
  const targetLinkUri = claims[CLAIM.targetLinkUri];
  return {
    ...common,
    messageType: 'LtiResourceLinkRequest',
    sub: claims.sub,
    targetLinkUri,
    resourceLink: { id: claims[CLAIM.resourceLink].id, title: claims[CLAIM.resourceLink].title },
    ags: claims[CLAIM.agsEndpoint],
    pathSlug: slugOf(common.custom.path, targetLinkUri),
  };
}

function toDeepLinkingLaunch(claims: z.output<typeof DeepLinkingClaimsSchema>, platform: LtiPlatform, state: LoginState): VerifiedDeepLinkingLaunch {
  return { ...base(claims, platform, state), messageType: 'LtiDeepLinkingRequest', settings: claims[CLAIM.deepLinkingSettings] };
}

/** The path a resource link opens: the `path` custom parameter, else `/learn/{slug}` at the end of the target link. */
export function slugOf(customPath: string | undefined, targetLinkUri: string): string | null {
  if (customPath !== undefined && SLUG.test(customPath)) return customPath;
  const match = /\/learn\/([a-z0-9][a-z0-9-]*)\/?$/.exec(new URL(targetLinkUri).pathname);
  return match?.[1] ?? null;
}
