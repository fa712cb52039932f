import { randomBytes } from 'node:crypto';

/** A fresh nonce for one response. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The Content-Security-Policy of a learner page: scripts only with this response's nonce,
 * styles and images from this origin, connections to this origin and, on a cmi5 launch, to the
 * LMS's own origins; no framing, no plugins, no base rewriting.
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
    "frame-ancestors 'none'",
  ].join('; ');
}
