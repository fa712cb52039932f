import { z } from 'zod';
import { discardBody, readLimitedJson, ResponseTooLargeError } from '../http/read-limited.js';
import { CLAIM, SCORE_SCOPE } from './claims.js';
import { LtiError } from './errors.js';
import { html, page, scriptHash, STYLE_HASH, trustedHtml } from './html.js';
import type { LtiPlatform } from './platforms.js';
import type { ToolUrls } from './tool-urls.js';

const url = z.url({ protocol: /^https?$/ });

/** The platform's OpenID configuration (LTI Dynamic Registration 1.0 §3.4). */
export const PlatformConfigurationSchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: url,
  token_endpoint: url,
  jwks_uri: url,
  registration_endpoint: url,
  scopes_supported: z.array(z.string()).optional(),
  [CLAIM.platformConfiguration]: z.object({
    product_family_code: z.string(),
    version: z.string().optional(),
    messages_supported: z.array(z.object({ type: z.string() })).optional(),
  }),
});
/** The platform's OpenID configuration. */
export type PlatformConfiguration = z.output<typeof PlatformConfigurationSchema>;

const RegistrationResponseSchema = z.object({
  client_id: z.string().min(1),
  [CLAIM.toolConfiguration]: z.object({ deployment_id: z.string().min(1).optional() }).optional(),
});

/** Options of the registration calls. */
export interface RegistrationOptions {
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  /** The tool's name shown in the LMS. */
  toolName?: string;
  /** Whether the platform may leave names and emails with the tool (the tool then asks for them). Default false. */
  keepPersonalData?: boolean;
}

// An OpenID configuration or a registration answer is a few kilobytes; anything beyond this is refused unread.
const MAX_ANSWER_BYTES = 256 * 1024;

async function call(fetcher: typeof globalThis.fetch, target: string, init: RequestInit, timeoutMs: number, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetcher(target, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new LtiError('platform', `The platform could not be reached for ${what} (${(error as Error).message}).`, 502);
  }
  if (!response.ok) {
    await discardBody(response);
    throw new LtiError('platform', `The platform refused ${what} (HTTP ${response.status}).`, 502);
  }
  try {
    return await readLimitedJson(response, MAX_ANSWER_BYTES);
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw new LtiError('platform', `The platform answered ${what} with more than ${MAX_ANSWER_BYTES} bytes.`, 502);
    throw new LtiError('platform', `The platform answered ${what} with something that is not JSON.`, 502);
  }
}

/** Fetches and checks the platform's OpenID configuration. */
export async function fetchPlatformConfiguration(openidConfiguration: string, registrationToken: string | undefined, options: RegistrationOptions = {}): Promise<PlatformConfiguration> {
  if (!url.safeParse(openidConfiguration).success) throw new LtiError('platform', 'openid_configuration must be an http(s) URL.');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (registrationToken) headers.authorization = `Bearer ${registrationToken}`;
  const body = await call(options.fetch ?? globalThis.fetch, openidConfiguration, { headers }, options.timeoutMs ?? 10_000, 'its OpenID configuration');
  const parsed = PlatformConfigurationSchema.safeParse(body);
  if (!parsed.success) throw new LtiError('platform', `The platform's OpenID configuration lacks ${[...new Set(parsed.error.issues.map((i) => String(i.path[0])))].join(', ')}.`, 502);
  return parsed.data;
}

/** The tool configuration this tool registers (Dynamic Registration §3.5). */
export function toolRegistrationRequest(urls: ToolUrls, toolName = 'Learnpath', keepPersonalData = false): Record<string, unknown> {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: [urls.launch],
    client_name: toolName,
    jwks_uri: urls.jwks,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: SCORE_SCOPE,
    [CLAIM.toolConfiguration]: {
      domain: new URL(urls.baseUrl).host,
      target_link_uri: urls.launch,
      // Names and emails are asked for only when the tool may keep them.
      claims: keepPersonalData ? ['iss', 'sub', 'name', 'email'] : ['iss', 'sub'],
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: urls.launch },
        { type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, label: toolName },
      ],
    },
  };
}

/**
 * Registers the tool with a platform: posts the tool configuration to its registration
 * endpoint with the registration token, and returns the platform as the tool stores it.
 */
export async function registerWithPlatform(configuration: PlatformConfiguration, registrationToken: string | undefined, urls: ToolUrls, options: RegistrationOptions = {}): Promise<LtiPlatform> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (registrationToken) headers.authorization = `Bearer ${registrationToken}`;
  const body = await call(
    options.fetch ?? globalThis.fetch,
    configuration.registration_endpoint,
    { method: 'POST', headers, body: JSON.stringify(toolRegistrationRequest(urls, options.toolName, options.keepPersonalData === true)) },
    options.timeoutMs ?? 10_000,
    'the registration',
  );
  const parsed = RegistrationResponseSchema.safeParse(body);
  if (!parsed.success) throw new LtiError('platform', 'The platform answered the registration without a client_id.', 502);
  const deploymentId = parsed.data[CLAIM.toolConfiguration]?.deployment_id;
  return {
    issuer: configuration.issuer,
    clientId: parsed.data.client_id,
    deploymentIds: deploymentId === undefined ? [] : [deploymentId],
    authLoginUrl: configuration.authorization_endpoint,
    accessTokenUrl: configuration.token_endpoint,
    jwksUrl: configuration.jwks_uri,
    keepPersonalData: options.keepPersonalData === true,
  };
}

const CLOSE_SCRIPT = "(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');";

/** The page that ends a registration: it tells the platform to close the registration window. */
export function renderRegistrationClosePage(toolName = 'Learnpath'): { html: string; csp: string } {
  return {
    html: page(`${toolName} is registered`, html`<h1>${toolName} is registered</h1>
<p>You can close this window.</p>
<script>${trustedHtml(CLOSE_SCRIPT)}</script>`),
    csp: `default-src 'none'; script-src ${scriptHash(CLOSE_SCRIPT)}; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors *`,
  };
}
