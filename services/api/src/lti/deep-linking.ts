import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { CLAIM, LTI_VERSION } from './claims.js';
import { LtiError } from './errors.js';
import { protectedKid } from './state.js';
import { DeepLinkingSettingsSchema, type DeepLinkingSettings } from './launch-claims.js';
import type { ToolKeySet } from './tool-keys.js';

/** A learning path chosen in the picker, as it becomes a link in the course. */
export interface DeepLinkChoice {
  slug: string;
  title: string;
  /** A short plain-text description. */
  text: string;
  /** Where the link launches (`…/learn/{slug}`). */
  url: string;
}

/** What the Deep Linking response needs from the request, carried from the launch to the picker's submission. */
export interface DeepLinkContext {
  issuer: string;
  clientId: string;
  deploymentId: string;
  settings: DeepLinkingSettings;
}

/** The `ltiResourceLink` content item for a chosen path (Deep Linking 2.0 §3.1). */
export function resourceLinkItem(choice: DeepLinkChoice, withLineItem: boolean): Record<string, unknown> {
  return {
    type: 'ltiResourceLink',
    title: choice.title,
    text: choice.text,
    url: choice.url,
    custom: { path: choice.slug },
    ...(withLineItem ? { lineItem: { scoreMaximum: 100, label: choice.title, resourceId: choice.slug } } : {}),
  };
}

/**
 * Signs the `LtiDeepLinkingResponse` for the chosen paths: one `ltiResourceLink` each, the
 * platform's `data` echoed. Refuses what the platform said it does not accept (the item type,
 * several items when `accept_multiple` is false).
 */
export async function buildDeepLinkingResponse(context: DeepLinkContext, choices: readonly DeepLinkChoice[], keys: ToolKeySet, now = new Date()): Promise<string> {
  const settings = context.settings;
  if (choices.length > 0 && !settings.accept_types.includes('ltiResourceLink')) throw new LtiError('deep_linking', 'The platform does not accept LTI resource links here.');
  if (choices.length > 1 && settings.accept_multiple === false) throw new LtiError('deep_linking', 'The platform accepts one item here: choose a single path.');
  const items = choices.map((c) => resourceLinkItem(c, settings.accept_lineitem !== false));
  const iat = Math.floor(now.getTime() / 1000);
  const key = keys.signingKey;
  return new SignJWT({
    nonce: randomBytes(16).toString('base64url'),
    azp: context.clientId,
    [CLAIM.deploymentId]: context.deploymentId,
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.contentItems]: items,
    ...(settings.data === undefined ? {} : { [CLAIM.data]: settings.data }),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(context.clientId)
    .setAudience(context.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(key.privateKey);
}

const CONTEXT_AUDIENCE = 'learnpath-lti-deep-link';
/** How long a teacher has to pick paths. */
export const DEEP_LINK_CONTEXT_TTL_SECONDS = 3600;

/** Signs the Deep Linking request context so the picker page can carry it to its submission on any replica. */
export async function signDeepLinkContext(context: DeepLinkContext, keys: ToolKeySet, now = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const key = keys.signingKey;
  return new SignJWT({ platform_iss: context.issuer, client_id: context.clientId, deployment_id: context.deploymentId, settings: context.settings })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setAudience(CONTEXT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + DEEP_LINK_CONTEXT_TTL_SECONDS)
    .sign(key.privateKey);
}

/** Reads a context signed by `signDeepLinkContext`. */
export async function verifyDeepLinkContext(token: string | undefined, keys: ToolKeySet, now = new Date()): Promise<DeepLinkContext> {
  if (token === undefined || token === '') throw new LtiError('deep_linking', 'The selection carries no Deep Linking request: start again from the course.');
  await keys.refreshFor(protectedKid(token));
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys.jwks()), { algorithms: ['RS256'], audience: CONTEXT_AUDIENCE, currentDate: now });
    return {
      issuer: String(payload.platform_iss),
      clientId: String(payload.client_id),
      deploymentId: String(payload.deployment_id),
      settings: DeepLinkingSettingsSchema.parse(payload.settings),
    };
  } catch {
    throw new LtiError('deep_linking', 'The Deep Linking request is not one this tool issued, or it has expired: start again from the course.');
  }
}
