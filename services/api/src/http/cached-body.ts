import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { COMPRESS_THRESHOLD, compressBytes } from './compress.js';
import { acceptsMediaType, chooseEncoding, type Encoding } from './negotiate.js';
import { ProblemError } from './problem.js';

/** The JSON media type every JSON response carries. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A response body serialised once per content version: the bytes, a strong ETag from their
 * hash, and compressed variants made on first demand.
 */
export class CachedBody {
  /** The uncompressed bytes. */
  readonly body: Buffer;
  /** The full Content-Type header. */
  readonly contentType: string;
  /** The media type alone (for Accept negotiation). */
  readonly mediaType: string;
  /** Hash of the bytes (hex); every variant's ETag contains it. */
  readonly hash: string;
  /** The strong ETag of the uncompressed bytes. */
  readonly etag: string;
  /** Whether the body is big enough to be worth compressing. */
  readonly compressible: boolean;
  readonly #variants: { br?: Buffer; gzip?: Buffer } = {};

  constructor(body: Buffer | string, contentType: string) {
    this.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.contentType = contentType;
    this.mediaType = contentType.split(';', 1)[0]!.trim();
    this.hash = createHash('sha256').update(this.body).digest('hex').slice(0, 32);
    this.etag = `"${this.hash}"`;
    this.compressible = this.body.length >= COMPRESS_THRESHOLD;
  }

  /** The body in a content coding, compressed the first time it is asked for. */
  variant(encoding: Encoding): Buffer {
    let bytes = this.#variants[encoding];
    if (bytes === undefined) {
      bytes = compressBytes(this.body, encoding, 'best');
      this.#variants[encoding] = bytes;
    }
    return bytes;
  }
}

/** Serialises `value` through a response schema (so a bug in a handler shows) into a cached JSON body. */
export function createJsonBody<S extends z.ZodType>(schema: S, value: z.output<S>): CachedBody {
  return new CachedBody(JSON.stringify(schema.encode(value)), JSON_CONTENT_TYPE);
}

// Every page schema lists its items first (see pageOf in @learnpath/schema).
const EMPTY_PAGE_START = '{"items":[]';

/**
 * A listing page as a cached JSON body, its items serialised by `itemJson` and the rest of the
 * page through the page schema, as `createJsonBody` would serialise the whole: the same bytes
 * for a fraction of the work. Items are not kept apart from the pages: at scale most items of a
 * new page are new too, and keeping each one's JSON cost more, in lookups and in garbage
 * collection, than serialising it again.
 */
export function createPageBody<S extends z.ZodType, T>(schema: S, page: { readonly items: readonly T[] }, itemJson: (item: T) => string): CachedBody {
  const envelope = JSON.stringify(schema.encode({ ...page, items: [] } as z.output<S>));
  if (!envelope.startsWith(EMPTY_PAGE_START)) throw new Error(`a page schema must list its items first: ${envelope.slice(0, 40)}`);
  return new CachedBody(`{"items":[${page.items.map(itemJson).join(',')}]${envelope.slice(EMPTY_PAGE_START.length)}`, JSON_CONTENT_TYPE);
}

/** Whether an If-None-Match header names the body (any of its codings) or is `*`. */
function matchesEtag(ifNoneMatch: string, body: CachedBody): boolean {
  // The hash is 32 hex digits, so a plain substring test cannot match another ETag by accident.
  return ifNoneMatch.includes(body.hash) || ifNoneMatch.trim() === '*';
}

/** Which origins may read responses cross-origin: any (`*`) or the listed ones. */
export type CorsOrigins = '*' | ReadonlySet<string>;

/** What `sendCached` needs besides the body. */
export interface SendOptions {
  /** The Cache-Control header of cacheable responses. */
  cacheControl: string;
  /**
   * The CORS policy, applied by `sendCached` itself: the hot routes that use it are kept free of
   * per-request hooks, so @fastify/cors (which serves every other route and all preflights with
   * the same policy) is not registered on them. Absent: no CORS headers are added here.
   */
  cors?: CorsOrigins;
  /** Whether the representation depends on Accept (adds `Accept` to Vary). */
  varyAccept?: boolean;
}

// Response headers scripts on other origins may read.
/** Response headers a browser on another origin may read (the same list @fastify/cors is given). */
export const EXPOSED_HEADERS = ['ETag', 'Content-Disposition', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'] as const;
/** `EXPOSED_HEADERS` as the header value that lists them. */
export const EXPOSED_HEADER_LIST = EXPOSED_HEADERS.join(', ');

/**
 * Adds the CORS headers of the policy to a response that no CORS hook has handled (a problem
 * raised on a route that writes its own CORS headers, or a 404), so that a page on another
 * origin can read the problem details instead of seeing a network error.
 */
export function addCorsHeaders(request: FastifyRequest, reply: FastifyReply, cors: CorsOrigins | undefined): void {
  if (cors === undefined || reply.hasHeader('access-control-allow-origin')) return;
  if (cors === '*') {
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSED_HEADER_LIST);
    return;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && cors.has(origin)) {
    reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', EXPOSED_HEADER_LIST);
  }
  reply.header('vary', 'Origin');
}

/** What answers a request for a cached body: a status, the response headers and the bytes (none for 304). */
export interface CachedAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  payload: Buffer | undefined;
}

/**
 * Negotiates a cached body for the request headers: 304 when If-None-Match names it, a
 * precompressed variant when the client asks for br or gzip, and its ETag, Cache-Control,
 * Vary and CORS headers; null when Accept rules out its media type. It is a pure function of
 * the headers, so the Fastify route and the front cache (front-cache.ts) answer alike.
 * Everything here runs per request, so it stays a handful of lookups.
 */
export function answerCached(headers: IncomingHttpHeaders, body: CachedBody, options: SendOptions): CachedAnswer | null {
  if (!acceptsMediaType(headers.accept, body.mediaType)) return null;
  const out: Record<string, string> = { 'cache-control': options.cacheControl };
  const cors = options.cors;
  if (options.varyAccept) out['vary'] = 'accept';
  if (cors === '*') {
    // Unconditional, so that a shared cache can hand the response to any origin.
    out['access-control-allow-origin'] = '*';
    out['access-control-expose-headers'] = EXPOSED_HEADER_LIST;
    if (body.compressible) out['vary'] = options.varyAccept ? 'accept, accept-encoding' : 'accept-encoding';
  } else if (cors !== undefined) {
    const origin = headers.origin;
    if (origin !== undefined && cors.has(origin)) {
      out['access-control-allow-origin'] = origin;
      out['access-control-expose-headers'] = EXPOSED_HEADER_LIST;
    }
    out['vary'] = `${options.varyAccept ? 'accept, ' : ''}${body.compressible ? 'Origin, accept-encoding' : 'Origin'}`;
  } else if (body.compressible) {
    out['vary'] = options.varyAccept ? 'accept, accept-encoding' : 'accept-encoding';
  }
  const ifNoneMatch = headers['if-none-match'];
  const encoding = body.compressible ? chooseEncoding(headers['accept-encoding']) : null;
  out['etag'] = encoding === null ? body.etag : `"${body.hash}-${encoding}"`;
  if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, body)) return { status: 304, headers: out, payload: undefined };
  out['content-type'] = body.contentType;
  if (encoding === null) return { status: 200, headers: out, payload: body.body };
  out['content-encoding'] = encoding;
  return { status: 200, headers: out, payload: body.variant(encoding) };
}

/**
 * Sends a cached body as `answerCached` negotiates it; 406 when Accept rules out its media type.
 */
export function sendCached(request: FastifyRequest, reply: FastifyReply, body: CachedBody, options: SendOptions): FastifyReply {
  const answer = answerCached(request.headers, body, options);
  if (answer === null) throw new ProblemError(406, `This resource is available as ${body.mediaType} only.`);
  return reply.code(answer.status).headers(answer.headers).send(answer.payload);
}
