import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Compresses responses (br, gzip) above 1 KiB; the cached routes opt out, their bodies are precompressed. */
export async function registerCompress(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
}
