import { z } from 'zod';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import {
  ChecklistItemSchema,
  CompletionRequestSchema,
  GraphEdgeSchema,
  GraphNodeSchema,
  LearnerEventListSchema,
  LearnerEventSchema,
  LearnerPathListSchema,
  LearnerPathSchema,
  LearnerProgressSchema,
  LearningPathSchema,
  LinkSchema,
  LongestChainSchema,
  PathGraphSchema,
  PhaseSchema,
  PrerequisiteSchema,
  ProgressReportSchema,
  LearnerLinkRequestSchema,
  LearnerLinkSchema,
  ReferenceSchema,
  ResourceSchema,
  VideoSchema,
  HealthSchema,
  PathListSchema,
  PathSummarySchema,
  ProblemSchema,
  ProgressRequestSchema,
  ResourceEntrySchema,
  ResourceListSchema,
} from '@learnpath/schema';
import { openApiExamples } from './examples.js';
import { API_KEY_SECURITY_SCHEME } from '../plugins/api-keys.js';

/** The version of the REST API the document describes. */
export const API_VERSION = '1.0.0';

// Schemas named as components in the OpenAPI document. A registry of its own (not zod's
// global one) keeps these names out of every other JSON Schema the project generates. The
// type provider reads all metadata from this registry, so it falls back to the global one,
// where `.describe()` puts every description (the provider's own registry copies do the same).
class MetadataWithFallback extends WeakMap<object, Record<string, unknown>> {
  override get(key: object): Record<string, unknown> | undefined {
    return super.get(key) ?? (z.globalRegistry._map as WeakMap<object, Record<string, unknown>>).get(key);
  }
  override has(key: object): boolean {
    return super.has(key) || z.globalRegistry._map.has(key as never);
  }
}
const registry = z.registry<{ id: string }>();
(registry as unknown as { _map: WeakMap<object, Record<string, unknown>> })._map = new MetadataWithFallback();
const components: [z.ZodType, string][] = [
  [LearningPathSchema, 'LearningPath'],
  [PhaseSchema, 'Phase'],
  [ResourceSchema, 'Resource'],
  [ReferenceSchema, 'Reference'],
  [PrerequisiteSchema, 'Prerequisite'],
  [LinkSchema, 'Link'],
  [VideoSchema, 'Video'],
  [ChecklistItemSchema, 'ChecklistItem'],
  [PathSummarySchema, 'PathSummary'],
  [PathListSchema, 'PathList'],
  [ResourceEntrySchema, 'ResourceEntry'],
  [ResourceListSchema, 'ResourceList'],
  [PathGraphSchema, 'PathGraph'],
  [GraphNodeSchema, 'GraphNode'],
  [GraphEdgeSchema, 'GraphEdge'],
  [LongestChainSchema, 'LongestChain'],
  [ProgressRequestSchema, 'ProgressRequest'],
  [ProgressReportSchema, 'ProgressReport'],
  [LearnerLinkRequestSchema, 'LearnerLinkRequest'],
  [LearnerLinkSchema, 'LearnerLink'],
  [HealthSchema, 'Health'],
  [CompletionRequestSchema, 'CompletionRequest'],
  [LearnerProgressSchema, 'LearnerProgress'],
  [LearnerPathSchema, 'LearnerPath'],
  [LearnerPathListSchema, 'LearnerPathList'],
  [LearnerEventSchema, 'LearnerEvent'],
  [LearnerEventListSchema, 'LearnerEventList'],
  [ProblemSchema, 'Problem'],
];
for (const [schema, id] of components) registry.add(schema, { ...z.globalRegistry.get(schema), id });

const transformRoute = createJsonSchemaTransform({ schemaRegistry: registry, skipList: [] });
const transformDocument = createJsonSchemaTransformObject({ schemaRegistry: registry });

type OpenApiDocument = Record<string, unknown> & {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};
interface Operation {
  operationId?: string;
  parameters?: { in: string; name: string; required?: boolean; description?: string; schema?: unknown }[];
  requestBody?: { required?: boolean; content?: Record<string, { example?: unknown; schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { example?: unknown; schema?: unknown }>; headers?: Record<string, unknown> }>;
}

// Response headers every operation may send, as components. The rate limiter answers on every
// route but the exempt ones, and CORS headers go out on every response.
const HEADER_COMPONENTS = {
  'RateLimit-Limit': { description: 'Requests a client may make in the current window.', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } },
  'RateLimit-Remaining': { description: 'Requests left to the client in the current window.', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } },
  'RateLimit-Reset': { description: 'Seconds until the current window ends.', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } },
  'Retry-After': { description: 'Seconds to wait before sending another request.', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } },
  'WWW-Authenticate': { description: 'How to authenticate: `Bearer` (with `error` and `scope` when the key is invalid or lacks a scope).', schema: { type: 'string', maxLength: 200 } },
  'Access-Control-Allow-Origin': {
    description: 'CORS: `*` (the default), or the request\'s Origin when it is one of the allowed origins (absent otherwise).',
    schema: { type: 'string', maxLength: 2048 },
  },
  ETag: {
    description: 'A strong validator of this representation (it names a content coding when the body is compressed); send it back in If-None-Match.',
    schema: { type: 'string', maxLength: 100 },
  },
  'Cache-Control': { description: 'How long shared and private caches may keep the response.', schema: { type: 'string', maxLength: 200 } },
  Vary: { description: 'The request headers the representation depends on (Accept-Encoding, Origin, Accept).', schema: { type: 'string', maxLength: 200 } },
  'Content-Disposition': {
    description: '`attachment` with the file name to save the export under, e.g. `attachment; filename="batch-vs-stream-processing.imscc"`.',
    schema: { type: 'string', maxLength: 300 },
  },
} as const;

const headerRef = (name: keyof typeof HEADER_COMPONENTS) => ({ $ref: `#/components/headers/${name}` });

// Operations the rate limiter leaves alone (route config `rateLimit: false`), by operation id.
const rateLimitExempt = new Set<string>();

/**
 * Adds what the service does on every route to every operation: the RateLimit headers of
 * 2xx and 4xx responses (Retry-After on a 429), the CORS header, and the 500 problem that a
 * bug gives. Declared once here rather than in each route, like the hooks that produce them.
 */
function addCommonResponses(document: OpenApiDocument): void {
  document.components = { ...document.components, headers: HEADER_COMPONENTS } as OpenApiDocument['components'];
  for (const methods of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(methods)) {
      const responses = (operation.responses ??= {});
      responses['500'] ??= {
        description: 'Something failed inside the service. The problem says nothing more than the request id to quote; the log has the details.',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
      const limited = operation.operationId === undefined || !rateLimitExempt.has(operation.operationId);
      // Cacheable GETs answer conditional requests: If-None-Match in, ETag and 304 out.
      const conditional = responses['304'] !== undefined;
      if (conditional) {
        operation.parameters = [
          ...(operation.parameters ?? []),
          {
            in: 'header',
            name: 'If-None-Match',
            required: false,
            description: 'ETags of representations the client holds (or `*`); when one is current, the answer is 304 with no body.',
            schema: { type: 'string', maxLength: 2000 },
          },
        ];
      }
      if (hasPathParameters(operation)) {
        responses['414'] ??= {
          description: 'A part of the URL is longer than this service accepts (200 characters per path segment).',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      for (const [status, response] of Object.entries(responses)) {
        const headers: Record<string, unknown> = { ...response.headers };
        if (limited && /^[24]/.test(status)) {
          headers['RateLimit-Limit'] = headerRef('RateLimit-Limit');
          headers['RateLimit-Remaining'] = headerRef('RateLimit-Remaining');
          headers['RateLimit-Reset'] = headerRef('RateLimit-Reset');
        }
        if (status === '429' || status === '503') headers['Retry-After'] = headerRef('Retry-After');
        if (conditional && (status === '200' || status === '304')) {
          headers['ETag'] = headerRef('ETag');
          headers['Cache-Control'] = headerRef('Cache-Control');
          headers['Vary'] = headerRef('Vary');
        }
        if (operation.operationId === 'exportPath' && status === '200') headers['Content-Disposition'] = headerRef('Content-Disposition');
        if (status === '401' || status === '403') headers['WWW-Authenticate'] = headerRef('WWW-Authenticate');
        headers['Access-Control-Allow-Origin'] = headerRef('Access-Control-Allow-Origin');
        response.headers = headers;
      }
    }
  }
}

function hasPathParameters(operation: Operation): boolean {
  return (operation.parameters ?? []).some((p) => p.in === 'path');
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Gives every integer schema its format, from the bounds zod wrote: int32 when they fit, else
 * int64 (zod bounds every integer to the safe range).
 */
function addIntegerFormats(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) addIntegerFormats(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema['type'] === 'integer' && schema['format'] === undefined) {
    const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -Infinity;
    const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : Infinity;
    schema['format'] = min >= INT32_MIN && max <= INT32_MAX ? 'int32' : 'int64';
  }
  for (const value of Object.values(schema)) addIntegerFormats(value);
}

/** Adds the examples (taken from the seed path) to the operations, by operation id. */
function addExamples(document: OpenApiDocument): void {
  const examples = openApiExamples();
  for (const methods of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(methods)) {
      const example = operation.operationId === undefined ? undefined : examples[operation.operationId];
      if (example === undefined) continue;
      for (const [status, byType] of Object.entries(example.responses ?? {})) {
        const content = operation.responses?.[status]?.content;
        for (const [mediaType, value] of Object.entries(byType)) {
          const media = content?.[mediaType];
          if (media) media.example = value;
        }
      }
      const body = operation.requestBody?.content?.['application/json'];
      if (body && example.requestBody !== undefined) body.example = example.requestBody;
    }
  }
}

/**
 * Marks a request body optional when its schema allows null (zod `.nullish()` on the route):
 * such a route takes no body at all, and a client must not be made to send one.
 */
function optionalBodies(document: OpenApiDocument): void {
  for (const methods of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(methods)) {
      const schema = operation.requestBody?.content?.['application/json']?.schema as { anyOf?: unknown[] } | undefined;
      if (schema?.anyOf?.some((member) => (member as { type?: unknown }).type === 'null')) operation.requestBody!.required = false;
    }
  }
}

/**
 * Drops components no operation reaches. The type provider names every registered schema
 * twice (as input `XInput` and output `X`); only the ones in use belong in the document.
 */
function pruneComponents(document: OpenApiDocument): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const reached = new Set<string>();
  const pending = [JSON.stringify(document.paths ?? {})];
  while (pending.length > 0) {
    const text = pending.pop()!;
    for (const match of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      const name = match[1]!;
      if (reached.has(name)) continue;
      reached.add(name);
      pending.push(JSON.stringify(schemas[name] ?? {}));
    }
  }
  document.components!.schemas = Object.fromEntries(
    Object.keys(schemas)
      .filter((name) => reached.has(name))
      .sort()
      .map((name) => [name, schemas[name]]),
  );
}

/** Deletes `additionalProperties: false` from a schema and everything inside it. */
function openObjects(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) openObjects(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema['additionalProperties'] === false) delete schema['additionalProperties'];
  for (const value of Object.values(schema)) openObjects(value);
}

/**
 * Leaves response shapes open to additions: a later version of the service may add members,
 * and a generated client must not reject them. zod writes `additionalProperties: false` for
 * every object it outputs; request shapes (the `…Input` components) stay strict, since the
 * service rejects members it does not know.
 */
function openResponseSchemas(document: OpenApiDocument): void {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) if (!name.endsWith('Input')) openObjects(schema);
  for (const methods of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(methods)) openObjects(operation.responses);
  }
}

/** The @fastify/swagger options: OpenAPI 3.1 from the zod schemas of the routes. */
export function swaggerOptions(): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Learnpath API',
        version: API_VERSION,
        description:
          'A headless content API for learning paths: phases of resources with typed dependencies, served as JSON. ' +
          'Every response of a path carries a strong ETag (send If-None-Match for a 304) and Cache-Control. ' +
          'Errors are RFC 9457 problem details (application/problem+json).',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // A public, read-only content API: every operation is open to anonymous clients (the
      // empty requirement). Rate limits and request limits protect it instead; see SECURITY.md.
      security: [{}],
      // Relative: every deployment serves this document itself, so the paths resolve against
      // the address it was fetched from.
      servers: [{ url: '/', description: 'The production service that serves this document (or the local one in development).', 'x-internal': false } as { url: string }],
      tags: [
        { name: 'paths', description: 'Learning paths, their phases, resources and dependency graphs.' },
        { name: 'resources', description: 'Resources across every learning path.' },
        { name: 'progress', description: 'A learner\'s progress through a path, evaluated without storing anything.' },
        { name: 'exports', description: 'A learning path in the formats learning management systems import.' },
        { name: 'service', description: 'Health and content version of the service.' },
        { name: 'learners', description: 'Learner state kept in the database: completions, stored progress, the event log, erasure, and links that open the learner pages. Needs an API key.' },
      ],
      components: {
        securitySchemes: {
          [API_KEY_SECURITY_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key made with `npx learnpath keys new` and configured in API_KEYS, sent as `Authorization: Bearer <key>`. Its scopes (progress:read, progress:write, learners:delete) decide what it may do.',
          },
        },
      },
    },
    // Routes without a schema (GraphQL, the explorer, static files) are not part of the REST API.
    transform: (input) => {
      if (!input.schema) return { schema: { hide: true }, url: input.url };
      const operationId = (input.schema as { operationId?: unknown }).operationId;
      if (typeof operationId === 'string' && (input.route.config as { rateLimit?: unknown } | undefined)?.rateLimit === false) rateLimitExempt.add(operationId);
      return transformRoute(input);
    },
    transformObject: (input) => {
      const document = transformDocument(input) as OpenApiDocument;
      addExamples(document);
      optionalBodies(document);
      pruneComponents(document);
      openResponseSchemas(document);
      addCommonResponses(document);
      addIntegerFormats(document.components?.schemas);
      addIntegerFormats(document.paths);
      return document;
    },
  };
}
