import { SCORE_SCOPE } from './claims.js';
import type { ToolUrls } from './tool-urls.js';

/**
 * The JSON a Canvas administrator pastes into an LTI developer key (Admin → Developer Keys → + LTI Key → Paste JSON).
 * Canvas sends names and emails only at the `public` privacy level: asked for only when they may be kept.
 */
export function canvasToolConfiguration(urls: ToolUrls, toolName = 'Learnpath', keepPersonalData = false): Record<string, unknown> {
  const placement = (name: string) => ({ placement: name, message_type: 'LtiDeepLinkingRequest', target_link_uri: urls.launch, text: toolName });
  return {
    title: toolName,
    description: 'Learning paths: pick a path for the course, learners open it without a second login, and their progress reaches the gradebook.',
    oidc_initiation_url: urls.login,
    target_link_uri: urls.launch,
    public_jwk_url: urls.jwks,
    scopes: [SCORE_SCOPE],
    extensions: [
      {
        platform: 'canvas.instructure.com',
        domain: new URL(urls.baseUrl).host,
        tool_id: 'learnpath',
        privacy_level: keepPersonalData ? 'public' : 'anonymous',
        settings: { placements: [placement('link_selection'), placement('assignment_selection')] },
      },
    ],
    custom_fields: {},
  };
}
