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
  let document: string | undefined;
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    document ??= `${JSON.stringify(app.swagger(), null, 2)}\n`;
    return reply.header('content-type', 'application/json; charset=utf-8').header('cache-control', 'public, max-age=300').send(document);
  });
  await app.register(fastifySwaggerUi, docsUiOptions());
}
