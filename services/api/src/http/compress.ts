import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chooseEncoding, type Encoding } from './negotiate.js';

/** Below this size compression costs more than it saves (the same threshold as @fastify/compress). */
export const COMPRESS_THRESHOLD = 1024;

/**
 * `bytes` in a content coding. Per request (`fast`) it favours speed, as @fastify/compress does
 * (brotli quality 4, gzip's default level); a body kept for a content version (cached-body.ts)
 * is compressed once, as small as it gets (`best`).
 */
export function compressBytes(bytes: Buffer, encoding: Encoding, effort: 'fast' | 'best'): Buffer {
  if (encoding === 'gzip') return gzipSync(bytes, effort === 'best' ? { level: 9 } : {});
  const params: Record<number, number> = { [constants.BROTLI_PARAM_QUALITY]: effort === 'best' ? 9 : 4, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
  if (effort === 'best') params[constants.BROTLI_PARAM_MODE] = constants.BROTLI_MODE_TEXT;
  return brotliCompressSync(bytes, { params });
}

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
  const compressed = compressBytes(bytes, encoding, 'fast');
  const vary = reply.getHeader('vary');
  if (vary === undefined) reply.header('vary', 'accept-encoding');
  else if (!/\baccept-encoding\b/i.test(String(vary))) reply.header('vary', `${String(vary)}, accept-encoding`);
  reply.header('content-encoding', encoding).header('content-length', compressed.length);
  return compressed;
}
