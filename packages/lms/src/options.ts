/** Thrown when export options are missing or malformed (e.g. cmi5 without a base URL). */
export class ExportOptionsError extends Error {
  override readonly name = 'ExportOptionsError';
}

/** Checks a base URL (absolute http or https) and drops trailing slashes. */
export function normalizeBaseUrl(baseUrl: string, option = 'baseUrl'): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ExportOptionsError(`${option} must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ExportOptionsError(`${option} must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ExportOptionsError(`${option} must not carry a query or fragment, got "${baseUrl}"`);
  }
  return url.href.replace(/\/+$/, '');
}

const LANGUAGE_TAG = /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/;

/** Checks a BCP 47 language tag (default `en`). */
export function normalizeLanguage(language: string | undefined): string {
  if (language === undefined) return 'en';
  if (!LANGUAGE_TAG.test(language)) throw new ExportOptionsError(`language must be a BCP 47 tag such as "en" or "de-CH", got "${language}"`);
  return language;
}
