import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from './support/fixtures.js';
import { launch, startLtiHarness, type LtiHarness } from './support/lti-tool.js';

// Property tests of the LTI tool's endpoints: whatever a browser or a platform posts (forms with
// repeated, missing or hostile fields, tokens that are not JWTs or are JWTs of any shape, a
// real deep-linking context with any filter), the tool answers without a 5xx.

let h: LtiHarness;
let context: string;
beforeAll(async () => {
  h = await startLtiHarness();
  const { response } = await launch(h, { message: 'LtiDeepLinkingRequest', role: 'instructor', targetLinkUri: `${h.base}/lti/launch` });
  const found = /name="context" value="([^"]+)"/.exec(response.body)?.[1];
  if (!found) throw new Error(`no deep-linking context: ${response.statusCode} ${response.body.slice(0, 300)}`);
  context = found;
});
afterAll(() => h?.close());

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Strings a form field may hold: words, URLs, JWT-shaped tokens with any header and claims. */
const jwtArb = fc
  .tuple(
    fc.oneof(fc.constantFrom({ alg: 'none' }, { alg: 'RS256', kid: 'x' }, { alg: 'HS256' }, { alg: 'RS256', jku: 'http://127.0.0.1:1/keys' }, {}, [], 'x'), fc.jsonValue({ maxDepth: 1 })),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ iss: fc.string(), aud: fc.oneof(fc.string(), fc.array(fc.string())), exp: fc.integer(), nonce: fc.string() })),
    fc.constantFrom('', 'sig', 'A'.repeat(342)),
  )
  .map(([header, claims, signature]) => `${b64(header)}.${b64(claims)}.${signature}`);
const textArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', SEED, 'alpha-streams', 'https://platform.example/', 'http://127.0.0.1:1/', 'javascript:alert(1)', '%', 'a'.repeat(5000), '{"a":1}', '..', 'beginner', 'advanced', 'kafka'),
  jwtArb,
);
const FIELDS = ['iss', 'login_hint', 'target_link_uri', 'lti_message_hint', 'client_id', 'lti_deployment_id', 'id_token', 'state', 'context', 'path', 'q', 'level', 'tag', 'openid_configuration', 'registration_token', '__proto__'];
const formArb = fc.array(fc.tuple(fc.constantFrom(...FIELDS), textArb), { maxLength: 8 });

const ENDPOINTS = [
  { method: 'GET', url: '/lti/login' },
  { method: 'POST', url: '/lti/login' },
  { method: 'POST', url: '/lti/launch' },
  { method: 'GET', url: '/lti/deep-link' },
  { method: 'POST', url: '/lti/deep-link' },
  { method: 'GET', url: '/lti/register' },
  { method: 'GET', url: '/lti/jwks' },
  { method: 'GET', url: '/lti/config/canvas.json' },
] as const;

describe('fuzzing the LTI tool', () => {
  it('random forms, tokens and query strings on every endpoint, a real deep-linking context among them: no 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        formArb,
        fc.boolean(),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain'),
        fc.constantFrom(undefined, 'lti_state_x=y', 'lti_state_abc=%00'),
        async (endpoint, fields, withContext, contentType, cookie) => {
          const entries = withContext ? [['context', context] as [string, string], ...fields] : fields;
          const encoded = new URLSearchParams(entries).toString();
          const headers: Record<string, string> = { host: h.host, ...(cookie ? { cookie } : {}) };
          const response =
            endpoint.method === 'GET'
              ? await h.app.inject({ method: 'GET', url: `${endpoint.url}?${encoded}`, headers })
              : await h.app.inject({
                  method: 'POST',
                  url: endpoint.url,
                  headers: { ...headers, 'content-type': contentType },
                  payload: contentType === 'application/json' ? JSON.stringify(Object.fromEntries(entries)) : encoded,
                });
          const what = `${endpoint.method} ${endpoint.url} ${encoded.slice(0, 300)} as ${contentType} → ${response.statusCode}: ${response.body.slice(0, 300)}`;
          expect(response.statusCode, what).toBeLessThan(500);
        },
      ),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 400) },
    );
  }, 120_000);
});
