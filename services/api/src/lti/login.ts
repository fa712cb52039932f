import { z } from 'zod';
import { LtiError } from './errors.js';
import { resolvePlatform, type LtiPlatformRegistry } from './platforms.js';
import { createLoginState, type PlatformStorage, type StateCookie } from './state.js';
import type { ToolKeySet } from './tool-keys.js';
import { isToolUrl, type ToolUrls } from './tool-urls.js';

/** The parameters of an OIDC third-party login initiation (query or form). */
export const LoginRequestSchema = z.object({
  iss: z.string().optional().describe('The platform issuer.'),
  login_hint: z.string().optional().describe('Opaque user hint, passed back to the platform.'),
  target_link_uri: z.string().optional().describe('Where the launch should end up; must be this service.'),
  lti_message_hint: z.string().optional().describe('Opaque message hint, passed back to the platform.'),
  lti_deployment_id: z.string().optional().describe('The deployment the launch is for.'),
  client_id: z.string().optional().describe('The client id of this tool on the platform.'),
  lti_storage_target: z.string().optional().describe("The platform's storage frame (LTI Client Side postMessages): `_parent` or a frame name."),
});
/** The parameters of an OIDC login initiation. */
export type LoginRequest = z.output<typeof LoginRequestSchema>;

/** What the login answers: a redirect to the platform and the cookie binding the state. */
export interface LoginRedirect {
  redirectUrl: string;
  cookie: StateCookie;
  /** When the platform offers its storage: where the browser keeps the cookie's secret too, before it goes on. */
  storage?: PlatformStorage & { key: string; value: string };
}

// A frame name the tool will look up among the parent's frames.
const FRAME_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Validates a login initiation and builds the authentication request to the platform
 * (OIDC implicit flow with form_post, as LTI 1.3 Core §5.1.1 prescribes).
 */
export async function initiateLogin(
  raw: Record<string, unknown>,
  context: { registry: LtiPlatformRegistry; keys: ToolKeySet; urls: ToolUrls; now?: Date },
): Promise<LoginRedirect> {
  const parsed = LoginRequestSchema.safeParse(raw);
  if (!parsed.success) throw new LtiError('login', 'The login parameters must be single text values.');
  const params = parsed.data;
  if (!present(params.iss)) throw new LtiError('iss', 'The login request names no platform (iss is missing).');
  if (!present(params.login_hint)) throw new LtiError('login_hint', 'The login request carries no login_hint.');
  if (!present(params.target_link_uri)) throw new LtiError('target_link_uri', 'The login request carries no target_link_uri.');
  if (!isToolUrl(context.urls, params.target_link_uri)) throw new LtiError('target_link_uri', `The target_link_uri is not on this service (${context.urls.baseUrl}).`);

  const platform = await resolvePlatform(context.registry, params.iss, present(params.client_id) ? params.client_id : undefined);
  if (platform === 'unknown-issuer') throw new LtiError('iss', 'The platform (iss) is not registered with this tool.');
  if (platform === 'unknown-client') throw new LtiError('client_id', 'The client_id is not registered for this platform.');
  if (platform === 'ambiguous') throw new LtiError('client_id', 'This platform has several registrations; the login request must name the client_id.');
  const deploymentId = present(params.lti_deployment_id) ? params.lti_deployment_id : undefined;
  if (deploymentId !== undefined && !platform.deploymentIds.includes(deploymentId)) {
    throw new LtiError('deployment', 'The deployment (lti_deployment_id) is not registered for this platform.');
  }

  // A storage target of another shape is not one the tool can post to: the cookie alone binds the state.
  const storage = present(params.lti_storage_target) && FRAME_NAME.test(params.lti_storage_target) ? { target: params.lti_storage_target, origin: new URL(platform.authLoginUrl).origin } : undefined;
  const { state, nonce, cookie } = await createLoginState(
    {
      issuer: platform.issuer,
      clientId: platform.clientId,
      targetLinkUri: params.target_link_uri,
      deploymentId,
      loginHint: params.login_hint,
      messageHint: present(params.lti_message_hint) ? params.lti_message_hint : undefined,
    },
    context.keys,
    { cookiePath: new URL(context.urls.launch).pathname.replace(/\/[^/]*$/, '') || '/', ...(context.now ? { now: context.now } : {}), ...(storage ? { storage } : {}) },
  );
  const url = new URL(platform.authLoginUrl);
  const query: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: context.urls.launch,
    login_hint: params.login_hint,
    state,
    nonce,
  };
  if (present(params.lti_message_hint)) query.lti_message_hint = params.lti_message_hint;
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return { redirectUrl: url.href, cookie, ...(storage ? { storage: { ...storage, key: cookie.name, value: cookie.value } } : {}) };
}
