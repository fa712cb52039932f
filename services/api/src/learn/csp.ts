import { randomBytes } from 'node:crypto';

/** A fresh nonce for one response. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The Content-Security-Policy of a learner page: scripts only with this response's nonce,
 * styles and images from this origin, connections to this origin and, on a cmi5 launch, to the
 * LMS's own origins; no plugins, no base rewriting. Any site may frame the page: LMSs show it in
 * an iframe after an LTI launch or as a cmi5 unit, and the session cookie is partitioned by the
 * top-level site, so a site that frames the page never carries a session opened under another.
 */
export function learnerPagePolicy(nonce: string, connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self'",
    ['connect-src', "'self'", ...connectOrigins].join(' '),
    "form-action 'self'",
    "base-uri 'none'",
    'frame-ancestors *',
  ].join('; ');
}
