import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildShared } from './support/app.js';
import { SEED } from './support/fixtures.js';

// Property tests: whatever a client sends to /graphql, the service answers without a 5xx, with
// a GraphQL response whose every error names a code; and the same request asked again (when
// the service may run it compiled, or answer it from its caches) gets the same answer.

const app = buildShared({ rateLimit: false, graphql: { limits: { batch: 3 } } });

// Pieces of documents: valid, invalid, several operations, mutations, subscriptions, fragments
// alone, syntax errors, limits, and what mercurius would read as a JSON AST.
const DOCUMENTS = [
  `{ path(slug: "${SEED}") { title } }`,
  'query Q($slug: ID!) { path(slug: $slug) { slug phases { id resources { id kind } } } }',
  'query L($first: Int, $after: String) { paths(first: $first, after: $after) { totalCount pageInfo { endCursor } } }',
  'query A { paths { totalCount } } query B { resources { totalCount } }',
  'query A { paths { totalCount } } mutation M { completeResource(learnerId: "k", slug: "s", resourceId: "r") { percent } }',
  'mutation { completeResource(learnerId: "k", slug: "s", resourceId: "r") { percent } }',
  'subscription { paths { totalCount } }',
  'fragment F on Query { paths { totalCount } }',
  '{ ...F } fragment F on Query { __typename }',
  '{ learner(id: "k1") { id } }',
  'query P($done: [ID!]!) { progress(path: "x", completed: $done) { percent } }',
  '{ nosuchfield }',
  '{ path(slug: ',
  '',
  '   ',
  '{ "kind": "Document", "definitions": [] }',
  `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
  `{ path(slug: "${SEED}") { phases { resources { phase { resources { phase { resources { phase { resources { phase { resources { id } } } } } } } } } } }`,
  'query Q($x: NoSuchType) { __typename }',
  'query Q($slug: ID!) { path(slug: $slug) { title } } # comment',
  '{ __schema { types { name } } }',
];
const NAMES = ['A', 'B', 'M', 'Q', 'L', 'P', 'Nope', '', '__proto__', 'constructor'];

const jsonValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 2 ** 31, 1.5, '', 'x', SEED, 'not-a-cursor', [], {}, ['batch-processing'], [1, 'a', null]),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
);
const variablesArb = fc.oneof(
  fc.constantFrom(undefined, null, {}, [], 'text', 7),
  fc.dictionary(fc.constantFrom('slug', 'first', 'after', 'done', 'x', '__proto__', 'constructor'), jsonValueArb, { maxKeys: 4 }),
);
const operationArb = fc.record(
  {
    query: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...DOCUMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 60 }) }, { weight: 1, arbitrary: fc.constantFrom(7, null, {}, []) }),
    operationName: fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(null, 3, {})),
    variables: variablesArb,
    extensions: fc.constantFrom(undefined, null, {}, { persistedQuery: { version: 1, sha256Hash: 'x' } }, 'x'),
  },
  { requiredKeys: ['query'] },
);

const ACCEPTS = [undefined, 'application/json', 'application/graphql-response+json', '*/*', 'text/html', 'application/graphql-response+json;q=0.9, application/json'];

interface Sent {
  method: 'GET' | 'POST';
  body: unknown;
  accept: string | undefined;
}

const sentArb: fc.Arbitrary<Sent> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  body: fc.oneof({ weight: 5, arbitrary: operationArb }, { weight: 1, arbitrary: fc.array(operationArb, { maxLength: 4 }) }),
  accept: fc.constantFrom(...ACCEPTS),
});

async function ask({ method, body, accept }: Sent) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(accept !== undefined ? { accept } : {}) };
  if (method === 'POST') return app.inject({ method, url: '/graphql', headers, payload: JSON.stringify(body) });
  // Over GET each member is a parameter; objects are sent as JSON text, as clients do.
  const query: Record<string, string> = {};
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (value !== undefined) query[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return app.inject({ method, url: '/graphql', headers, query });
}

/** The invariant of one answer: not a 5xx, a GraphQL response (or a batch of them), every error coded. */
function checkAnswer(status: number, type: string | undefined, text: string, what: string): void {
  if (status >= 500) throw new Error(`${what} → ${status}: ${text.slice(0, 300)}`);
  if (status === 406) return;
  if (!type?.startsWith('application/json') && !type?.startsWith('application/graphql-response+json')) throw new Error(`${what} → ${status} as ${String(type)}`);
  const parsed = JSON.parse(text) as unknown;
  for (const response of Array.isArray(parsed) ? parsed : [parsed]) {
    const { data, errors } = response as { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[] };
    if (data === undefined && errors === undefined) throw new Error(`${what} → ${status} without data or errors: ${text.slice(0, 300)}`);
    for (const error of errors ?? []) {
      if (typeof error.message !== 'string' || typeof error.extensions?.code !== 'string') throw new Error(`${what} → an error without a message or code: ${text.slice(0, 300)}`);
    }
  }
}

describe('fuzzing GraphQL', () => {
  it('random operations, names, variables, batches, methods and Accept headers: no 5xx, every error coded, the same answer when asked again', async () => {
    await fc.assert(
      fc.asyncProperty(sentArb, async (sent) => {
        const what = `${sent.method} ${JSON.stringify(sent.body)} accept=${String(sent.accept)}`;
        const answers = [];
        for (let i = 0; i < 3; i++) {
          const response = await ask(sent);
          checkAnswer(response.statusCode, response.headers['content-type'] as string | undefined, response.body, what);
          answers.push({ status: response.statusCode, body: response.body });
        }
        expect(answers[1], what).toEqual(answers[0]);
        expect(answers[2], what).toEqual(answers[0]);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });
});
