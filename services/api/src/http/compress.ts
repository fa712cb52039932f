import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chooseEncoding } from './negotiate.js';

/** Below this size compression costs more than it saves (the same threshold as @fastify/compress). */
export const COMPRESS_THRESHOLD = 1024;

// Per-request compression favours speed, as @fastify/compress does (its brotli quality is 4);
// bodies kept for a content version are compressed harder once (cached-body.ts).
const BROTLI_QUALITY = 4;

/**
 * The payload of a route that opts out of @fastify/compress's hooks (`compress: false`),
 * compressed for the request as that plugin would: br or gzip as Accept-Encoding prefers, for
 * text payloads of 1 KiB or more that are not encoded already, with Content-Encoding, the
 * compressed Content-Length and `Vary: accept-encoding` set. Anything else is returned as is.
 * A request without Accept-Encoding costs one header read.
 */
export function compressPayload(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  const acceptEncoding = request.headers['accept-encoding'];
  if (acceptEncoding === undefined || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size < COMPRESS_THRESHOLD || reply.hasHeader('content-encoding') || reply.statusCode === 206) return payload;
  const encoding = chooseEncoding(acceptEncoding);
  if (encoding === null) return payload;
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const compressed =
    encoding === 'br'
      ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
      : gzipSync(bytes);
  const vary = reply.getHeader('vary');
  if (vary === undefined) reply.header('vary', 'accept-encoding');
  else if (!/\baccept-encoding\b/i.test(String(vary))) reply.header('vary', `${String(vary)}, accept-encoding`);
  reply.header('content-encoding', encoding).header('content-length', compressed.length);
  return compressed;
}
