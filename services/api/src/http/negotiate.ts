import { negotiate } from '@fastify/accept-negotiator';
import Negotiator from 'negotiator';

/** A content coding the service precompresses responses with. */
export type Encoding = 'br' | 'gzip';

// Server preference when the client rates codings equally: br is smaller.
const ENCODINGS: ('br' | 'gzip' | 'identity')[] = ['br', 'gzip', 'identity'];

/** The coding to answer with for an `Accept-Encoding` header, or null for none. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  if (acceptEncoding === undefined || acceptEncoding === '') return null;
  const chosen = negotiate(acceptEncoding, ENCODINGS);
  return chosen === 'br' || chosen === 'gzip' ? chosen : null;
}

/**
 * Whether an `Accept` header allows `mediaType`. The common headers (none, `*\/*`, the type
 * itself) are answered without parsing, since this runs on every request.
 */
export function acceptsMediaType(accept: string | undefined, mediaType: string): boolean {
  if (accept === undefined || accept === '' || accept === '*/*' || accept === mediaType) return true;
  return new Negotiator({ headers: { accept } }).mediaType([mediaType]) !== undefined;
}

/** The first of `mediaTypes` an `Accept` header allows, in the client's order of preference. */
export function chooseMediaType<T extends string>(accept: string | undefined, mediaTypes: readonly T[]): T | undefined {
  if (accept === undefined || accept === '' || accept === '*/*') return mediaTypes[0];
  return new Negotiator({ headers: { accept } }).mediaType(mediaTypes) as T | undefined;
}
