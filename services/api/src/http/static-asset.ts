import type { FastifyReply, FastifyRequest } from 'fastify';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

/** A file served as it is, compressed once at start-up rather than per request. */
export interface StaticAsset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

/** The gzip and Brotli encodings of a body, made once. */
export function precompress(body: Buffer, brotliQuality: number): Pick<StaticAsset, 'gzip' | 'br'> {
  return { gzip: gzipSync(body, { level: 9 }), br: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: brotliQuality } }) };
}

/**
 * An asset whose encodings are made on first request rather than at start-up: a megabyte of
 * script compressed with Brotli at quality 9 costs about a second of CPU, which a service that
 * may never be asked for it should not pay before it listens.
 */
export class LazyStaticAsset implements StaticAsset {
  readonly type: string;
  readonly body: Buffer;
  readonly etag: string;
  readonly #brotliQuality: number;
  #gzip: Buffer | undefined;
  #br: Buffer | undefined;

  constructor(type: string, body: Buffer, etag: string, brotliQuality: number) {
    this.type = type;
    this.body = body;
    this.etag = etag;
    this.#brotliQuality = brotliQuality;
  }

  get gzip(): Buffer {
    return (this.#gzip ??= gzipSync(this.body, { level: 9 }));
  }

  get br(): Buffer {
    return (this.#br ??= brotliCompressSync(this.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: this.#brotliQuality } }));
  }
}

/** Sends an asset in the best encoding the client accepts, or 304 when it holds the current one. */
export function sendStaticAsset(request: FastifyRequest, reply: FastifyReply, asset: StaticAsset, cacheControl: string): FastifyReply {
  reply
    .header('content-type', asset.type)
    .header('cache-control', cacheControl)
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(asset.br);
  if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}
