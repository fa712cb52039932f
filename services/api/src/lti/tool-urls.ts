/** The tool's own addresses, derived from its public base URL. */
export interface ToolUrls {
  /** The service's public base URL, without a trailing slash. */
  baseUrl: string;
  /** OIDC login initiation (`/lti/login`). */
  login: string;
  /** The redirect URI the platform posts id_tokens to (`/lti/launch`). */
  launch: string;
  /** The public key set (`/lti/jwks`). */
  jwks: string;
  /** Where the Deep Linking picker posts the chosen paths (`/lti/deep-link`). */
  deepLink: string;
  /** Dynamic Registration start (`/lti/register`). */
  register: string;
}

/** The tool's addresses under `baseUrl` (`https://learn.example.org`). */
export function toolUrls(baseUrl: string): ToolUrls {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: base,
    login: `${base}/lti/login`,
    launch: `${base}/lti/launch`,
    jwks: `${base}/lti/jwks`,
    deepLink: `${base}/lti/deep-link`,
    register: `${base}/lti/register`,
  };
}

/** Whether `url` points into this service (same origin, under the base path). */
export function isToolUrl(urls: ToolUrls, url: string): boolean {
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(`${urls.baseUrl}/`);
  } catch {
    return false;
  }
  return target.origin === base.origin && target.pathname.startsWith(base.pathname);
}
