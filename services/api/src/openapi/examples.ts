import { createCatalog } from '@learnpath/content';
import { buildPathGraph, evaluateProgress, type Health } from '@learnpath/schema';
// The seed path as data (the same fixture the schema tests use): examples must not change
// with the content folder, or the committed openapi/openapi.json would drift with every edit.
import { seedPath } from '@learnpath/schema/examples';
import { viewOf } from '../catalog/view.js';
import { listPaths, listResources } from '../rest/listings.js';
import { renderMermaid } from '../rest/mermaid.js';

/** Examples of one operation: response bodies by status and media type, and the request body. */
export interface OperationExamples {
  responses?: Record<string, Record<string, unknown>>;
  requestBody?: unknown;
}

let cached: Record<string, OperationExamples> | undefined;

/** Examples for each operation id, computed by the service's own code from the seed path. */
export function openApiExamples(): Record<string, OperationExamples> {
  if (cached) return cached;
  const catalog = createCatalog([seedPath]);
  const view = viewOf(catalog);
  const phase = seedPath.phases[1]!;
  const resource = phase.resources[0]!;
  const completed = ['batch-processing', 'stream-processing'];
  const health: Health = {
    status: 'ok',
    reasons: [],
    paths: 1,
    contentVersion: catalog.version,
    loadedAt: '2025-01-01T00:00:00.000Z',
    stale: false,
    diagnostics: { errors: 0, warnings: 0 },
  };
  const json = (value: unknown): Record<string, unknown> => ({ 'application/json': value });
  const problem = (status: number, detail: string, instance: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    'application/problem+json': {
      type: 'about:blank',
      title: status === 404 ? 'Not Found' : 'Bad Request',
      status,
      detail,
      instance,
      requestId: 'req-1',
      ...extra,
    },
  });
  cached = {
    listPaths: {
      responses: {
        200: json(listPaths(view, { sort: 'title', limit: 20 })),
        400: problem(400, 'The request query string is invalid: /limit Too big: expected number to be <=100.', '/v1/paths', {
          type: 'urn:learnpath:problem:invalid-request',
          errors: [{ in: 'query', pointer: '/limit', message: 'Too big: expected number to be <=100' }],
        }),
      },
    },
    getPath: {
      responses: {
        200: json(seedPath),
        404: problem(404, 'There is no learning path "unknown-path".', '/v1/paths/unknown-path'),
      },
    },
    getPhase: { responses: { 200: json(phase) } },
    getPathResource: { responses: { 200: json({ ...resource, pathSlug: seedPath.slug, phaseId: phase.id }) } },
    listResources: { responses: { 200: json(listResources(view, { limit: 2 })) } },
    getPathGraph: {
      responses: { 200: { 'application/json': buildPathGraph(seedPath), 'text/vnd.mermaid': renderMermaid(buildPathGraph(seedPath)) } },
    },
    evaluateProgress: {
      requestBody: { completed },
      responses: { 200: json(evaluateProgress(seedPath, completed)) },
    },
    getHealth: { responses: { 200: json(health) } },
  };
  return cached;
}
