import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/index.js';
import { createTestApp } from './support/app.js';
import { fixtureCatalog, fixturePaths } from './support/fixtures.js';

// The OpenAPI document as a contract: requests generated from the document's own parameter and
// body schemas (valid ones and ones that break a schema) go to every operation, and every
// response must have a documented status and media type, and a body that its schema accepts.
// Response objects are checked strictly as well: a member the document does not name is a
// mismatch here, even though clients must tolerate new members.

type Schema = Record<string, unknown>;
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Request {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: string;
  valid: boolean;
}

const documentFile = fileURLToPath(new URL('../../../openapi/openapi.json', import.meta.url));
const RUNS_PER_OPERATION = 130;
const SLUGS = fixturePaths.map((p) => p.slug);
const PHASE_IDS = fixturePaths.flatMap((p) => p.phases.map((ph) => ph.id));
const RESOURCE_IDS = fixturePaths.flatMap((p) => p.phases.flatMap((ph) => ph.resources.map((r) => r.id)));
// Values the catalog knows, so that valid requests also reach the 200 answers, not only 404s.
const KNOWN: Record<string, readonly string[]> = { slug: SLUGS, phaseId: PHASE_IDS, resourceId: RESOURCE_IDS, path: SLUGS, tag: ['kafka', 'streaming', 'warehouse'] };

/** A strict copy of a response schema: objects with named members allow no others. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Schema = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'example' ? v : strict(v)]));
  if (copy['type'] === 'object' && copy['properties'] !== undefined && copy['additionalProperties'] === undefined) copy['additionalProperties'] = false;
  return copy;
}

/** Values of a parameter schema (strings, since they travel in a URL or a header). */
function validValue(name: string, schema: Schema): fc.Arbitrary<string> {
  const known = KNOWN[name];
  const own = ownValue(schema);
  return known ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: own, weight: 1 }) : own;
}

function ownValue(schema: Schema): fc.Arbitrary<string> {
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as unknown[]).map(String));
  const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
  const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : 1_000_000;
  if (schema['type'] === 'integer') return fc.integer({ min, max }).map(String);
  if (schema['type'] === 'number') return fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((n) => String(n / 100));
  const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  const maxLength = Math.min(typeof schema['maxLength'] === 'number' ? schema['maxLength'] : 60, 60);
  if (typeof schema['pattern'] === 'string') {
    return fc.stringMatching(new RegExp(schema['pattern'])).filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme-ascii' });
}

/** Values that break a parameter schema, or undefined when the schema accepts every string. */
function invalidValue(schema: Schema): fc.Arbitrary<string> | undefined {
  if (Array.isArray(schema['enum'])) return fc.constantFrom('NOT-AN-OPTION', 'x', '0');
  if (schema['type'] === 'integer') {
    const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : 1_000_000;
    const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    return fc.constantFrom(String(max + 1), String(min - 1), '1.5', 'abc', '1e3');
  }
  if (schema['type'] === 'number') return fc.constantFrom('-1', 'NaN', 'abc', '0x10', '1e400');
  if (typeof schema['pattern'] === 'string') return fc.constantFrom('Not A Slug', 'UPPER', 'a--b', '-a', 'ä');
  if (typeof schema['maxLength'] === 'number' && schema['maxLength'] <= 200) return fc.constant('y'.repeat(schema['maxLength'] + 1));
  return undefined;
}

const encode = (value: string): string => encodeURIComponent(value);

/** Requests for an operation: mostly valid, some with one parameter or the body broken. */
function requestsFor(path: string, method: 'get' | 'post', operation: Operation): fc.Arbitrary<Request> {
  const parameters = operation.parameters ?? [];
  const named = (p: Parameter): string => `${p.in}:${p.name}`;
  const breakable = parameters.filter((p) => p.in !== 'header' && invalidValue(p.schema) !== undefined);
  const broken = breakable.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...breakable.map(named)), { nil: undefined, freq: 3 });
  // Each operation that takes a body gets bodies of its own request schema.
  const links = path.endsWith('/links');
  const bodyValid: fc.Arbitrary<unknown> = links
    ? fc.oneof(fc.constant({}), fc.record({ expiresIn: fc.integer({ min: 30, max: 3600 }) }), fc.record({ path: fc.constantFrom(...SLUGS) }))
    : fc.oneof(
        fc.record({ completed: fc.subarray([...RESOURCE_IDS]) }),
        fc.record({ completed: fc.subarray([...RESOURCE_IDS]), completedPaths: fc.subarray([...SLUGS]) }),
      );
  const bodyInvalid = links
    ? fc.constantFrom<unknown>({ expiresIn: 'soon' }, { expiresIn: 5 }, { extra: true }, [], { path: 'Not A Slug' })
    : fc.constantFrom<unknown>({ completed: 'all' }, { completed: [1, 2] }, {}, { completed: [], extra: true }, [], { completed: ['Not A Slug'] });
  return fc
    .record({
      broken,
      breakBody: fc.boolean(),
      values: fc.record(Object.fromEntries(parameters.filter((p) => p.in !== 'header').map((p) => [named(p), validValue(p.name, p.schema)]))),
      bad: fc.record(Object.fromEntries(breakable.map((p) => [named(p), invalidValue(p.schema)!]))),
      present: fc.record(Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [named(p), fc.boolean()]))),
      body: bodyValid,
      badBody: bodyInvalid,
      accept: fc.constantFrom(undefined, '*/*', 'application/json', 'text/vnd.mermaid', 'application/problem+json, application/json', 'text/markdown'),
      ifNoneMatch: fc.constantFrom(undefined, '"0123456789abcdef0123456789abcdef"', '*'),
    })
    .map(({ broken: brokenName, breakBody, values, bad, present, body, badBody, accept, ifNoneMatch }) => {
      const brokenBody = method === 'post' && breakBody && brokenName === undefined;
      let url = path;
      const query: string[] = [];
      for (const p of parameters) {
        const key = named(p);
        const value = key === brokenName ? (bad as Record<string, string>)[key]! : (values as Record<string, string>)[key]!;
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encode(value));
        else if (p.in === 'query' && (key === brokenName || (present as Record<string, boolean>)[key])) query.push(`${p.name}=${encode(value)}`);
      }
      const headers: Record<string, string> = {};
      if (accept !== undefined) headers['accept'] = accept;
      if (ifNoneMatch !== undefined && parameters.some((p) => p.name === 'If-None-Match')) headers['if-none-match'] = ifNoneMatch;
      // A cursor the service did not issue is well-formed for the schema but refused (400): the
      // generated ones never were issued, so a request with one counts as invalid.
      const forgedCursor = query.some((q) => q.startsWith('cursor='));
      const request: Request = {
        method: method === 'get' ? 'GET' : 'POST',
        url: query.length ? `${url}?${query.join('&')}` : url,
        headers,
        valid: brokenName === undefined && !brokenBody && !forgedCursor,
      };
      if (method === 'post') {
        headers['content-type'] = 'application/json';
        request.payload = JSON.stringify(brokenBody ? badBody : body);
      }
      return request;
    });
}

let app: App;
let document: { paths: Record<string, Record<string, Operation>> };
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
addFormats.default(ajv);
const validators = new Map<Schema, ValidateFunction>();
function validatorOf(schema: Schema): ValidateFunction {
  let validate = validators.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(strict(schema) as Schema);
    validators.set(schema, validate);
  }
  return validate;
}

beforeAll(async () => {
  app = await createTestApp({ catalog: fixtureCatalog(), rateLimit: false });
  document = (await SwaggerParser.dereference(JSON.parse(await readFile(documentFile, 'utf8')))) as unknown as typeof document;
});
afterAll(async () => {
  await app.close();
});

/** What is wrong with a response, as the document describes the operation; null when nothing. */
function mismatchOf(operation: Operation, request: Request, response: Awaited<ReturnType<App['inject']>>): string | null {
  const status = String(response.statusCode);
  const documented = operation.responses[status];
  if (documented === undefined) return `undocumented status ${status}`;
  if (request.valid && status === '400' && !request.url.includes('/progress')) return `a valid request got 400: ${response.body}`;
  if (!request.valid && !/^4/.test(status)) return `an invalid request got ${status}`;
  if (status === '304') return response.body === '' ? null : '304 with a body';
  const content = documented.content;
  if (content === undefined) return response.body === '' ? null : `status ${status} has no documented body`;
  const mediaType = String(response.headers['content-type'] ?? '').split(';', 1)[0]!.trim();
  const media = content[mediaType];
  if (media === undefined) return `undocumented media type ${mediaType} for ${status} (documented: ${Object.keys(content).join(', ')})`;
  const schema = media.schema;
  if (schema['format'] === 'binary') return response.rawPayload.length > 0 ? null : 'empty binary body';
  const body: unknown = schema['type'] === 'string' ? response.body : JSON.parse(response.body);
  const validate = validatorOf(schema);
  if (!validate(body)) return `body does not match the ${mediaType} schema of ${status}: ${ajv.errorsText(validate.errors)}`;
  return null;
}

describe('the OpenAPI document as a contract', () => {
  it('every response to generated requests (valid and invalid) matches the document: 0 mismatches over ≥ 1,000 requests', async () => {
    let sent = 0;
    const statuses = new Map<string, number>();
    const mismatches: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (method !== 'get' && method !== 'post') continue;
        await fc.assert(
          fc.asyncProperty(requestsFor(path, method, operation), async (request) => {
            const response = await app.inject({ method: request.method, url: request.url, headers: request.headers, ...(request.payload === undefined ? {} : { payload: request.payload }) });
            sent++;
            const key = `${operation.operationId} ${response.statusCode}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            const mismatch = mismatchOf(operation, request, response);
            if (mismatch !== null && mismatches.length < 20) mismatches.push(`${request.method} ${request.url} ${JSON.stringify(request.headers)} → ${mismatch}`);
          }),
          { numRuns: RUNS_PER_OPERATION, seed: 20261130 },
        );
      }
    }
    expect(mismatches).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(1000);
    // The generated requests reach the answers that matter for every operation, not only errors.
    const reached = [...statuses.keys()];
    for (const operationId of ['listPaths', 'getPath', 'getPhase', 'getPathResource', 'listResources', 'getPathGraph', 'evaluateProgress', 'exportPath', 'getHealth']) {
      expect(reached, operationId).toContain(`${operationId} 200`);
    }
    for (const expected of ['listPaths 400', 'getPath 404', 'evaluateProgress 400', 'exportPath 304', 'getPathGraph 406']) expect(reached).toContain(expected);
  }, 120_000);
});
