import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { docsUiOptions } from '../../openapi/docs-theme.js';
import { swaggerOptions } from '../../openapi/document.js';

/** Registers @fastify/swagger; call it before the routes, which it collects as they are added. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, swaggerOptions());
}

/** Serves the document at `/openapi.json` and the interactive docs (assets served locally) at `/docs`. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  let document: { body: string; etag: string } | undefined;
  app.get('/openapi.json', { schema: { hide: true } }, async (request, reply) => {
    if (document === undefined) {
      const body = `${JSON.stringify(app.swagger(), null, 2)}\n`;
      document = { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"` };
    }
    reply.header('cache-control', 'public, max-age=300').header('etag', document.etag);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch !== undefined && (ifNoneMatch.includes(document.etag) || ifNoneMatch.trim() === '*')) return reply.code(304).send();
    return reply.header('content-type', 'application/json; charset=utf-8').send(document.body);
  });
  await app.register(fastifySwaggerUi, docsUiOptions());
}
