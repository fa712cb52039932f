import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from './support/fixtures.js';
import { readAutoPostForm } from './support/lti-platform.js';
import { launch, startLtiHarness, type LtiHarness } from './support/lti-tool.js';

let h: LtiHarness;
beforeAll(async () => {
  h = await startLtiHarness();
});
afterAll(() => h.close());

const FORM = 'application/x-www-form-urlencoded';

async function openPicker(overrides: object = {}) {
  const { response } = await launch(h, { message: 'LtiDeepLinkingRequest', role: 'instructor', targetLinkUri: `${h.base}/lti/launch`, ...overrides });
  expect(response.statusCode).toBe(200);
  const context = /name="context" value="([^"]+)"/.exec(response.body)?.[1];
  expect(context).toBeDefined();
  return { page: response.body, context: context! };
}

async function choose(context: string, slugs: string[]) {
  const body = new URLSearchParams([['context', context], ...slugs.map((s) => ['path', s])]);
  return h.app.inject({ method: 'POST', url: '/lti/deep-link', headers: { host: h.host, 'content-type': FORM, accept: 'application/json' }, payload: body.toString() });
}

describe('Deep Linking', () => {
  it('lists the catalog with a checkbox per path and an "Add to course" button', async () => {
    const { page } = await openPicker();
    expect(page).toContain('<input type="checkbox" name="path" value="alpha-streams"> Alpha Streams');
    expect(page).toContain(`value="${SEED}"> Batch vs Stream Processing`);
    expect(page).toContain('<button type="submit">Add to course</button>');
  });

  it('filters by search, level and tag', async () => {
    const { context } = await openPicker();
    const search = async (query: Record<string, string>) =>
      (await h.app.inject({ method: 'GET', url: `/lti/deep-link?${new URLSearchParams({ context, ...query })}`, headers: { host: h.host } })).body;
    const byLevel = await search({ level: 'advanced' });
    expect(byLevel).toContain('Zeta Warehouse');
    expect(byLevel).not.toContain('> Alpha Streams');
    const byTag = await search({ tag: 'kafka' });
    expect(byTag).toContain('> Alpha Streams');
    expect(byTag).not.toContain('> Zeta Warehouse');
    const byText = await search({ q: 'dimensional' });
    expect(byText).toContain('> Zeta Warehouse');
    expect(byText).toContain('1 learning path(s)');
    // A repeated parameter counts once, as its first value (it was a 502).
    const repeated = await h.app.inject({ method: 'GET', url: `/lti/deep-link?${new URLSearchParams([['context', context], ['context', 'x'], ['q', 'dimensional'], ['q', 'kafka'], ['level', 'advanced'], ['level', 'beginner']])}`, headers: { host: h.host } });
    expect(repeated.statusCode).toBe(200);
    expect(repeated.body).toContain('> Zeta Warehouse');
    expect(repeated.body).toContain('1 learning path(s)');
  });

  it('returns the chosen paths to the platform, which verifies the signed response', async () => {
    const { context } = await openPicker();
    const response = await choose(context, ['alpha-streams', SEED]);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain(`form-action ${h.platform.issuer}`);
    const form = readAutoPostForm(response.body);
    expect(form.action).toBe(`${h.platform.issuer}/deep-link-return`);
    const arrived = h.platform.waitFor('deep-link');
    const platformAnswer = await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) });
    expect(platformAnswer.status).toBe(200);
    const [recorded] = await arrived;
    expect(recorded.items).toEqual([
      {
        type: 'ltiResourceLink',
        title: 'Alpha Streams',
        text: 'A short tour of Kafka streams. Second paragraph is not in the excerpt.',
        url: `${h.base}/learn/alpha-streams`,
        custom: { path: 'alpha-streams' },
        lineItem: { scoreMaximum: 100, label: 'Alpha Streams', resourceId: 'alpha-streams' },
      },
      expect.objectContaining({ type: 'ltiResourceLink', url: `${h.base}/learn/${SEED}`, custom: { path: SEED }, lineItem: { scoreMaximum: 100, label: 'Batch vs Stream Processing', resourceId: SEED } }),
    ]);
    expect(recorded.data).toMatch(/^dl-/);
  });

  it('offers one choice and refuses two when the platform does not accept several', async () => {
    const { page, context } = await openPicker({ acceptMultiple: false });
    expect(page).toContain('<input type="radio" name="path" value="alpha-streams">');
    const response = await choose(context, ['alpha-streams', SEED]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ check: 'deep_linking' });
  });

  it('refuses when the platform accepts no LTI resource links', async () => {
    const { context } = await openPicker({ acceptTypes: ['link'] });
    expect((await choose(context, ['alpha-streams'])).json()).toMatchObject({ check: 'deep_linking' });
  });

  it('refuses a forged or missing picker context and unknown paths', async () => {
    expect((await choose('forged', ['alpha-streams'])).statusCode).toBe(400);
    const { context } = await openPicker();
    expect((await choose(context, ['no-such-path'])).statusCode).toBe(404);
  });

  it('signs with a rotated tool key, which the platform fetches again and verifies', async () => {
    const { context } = await openPicker();
    const rotated = await h.keys.rotate(h.keyStore);
    const form = readAutoPostForm((await choose(context, ['alpha-streams'])).body);
    expect(JSON.parse(Buffer.from(form.fields.JWT!.split('.')[0]!, 'base64url').toString()).kid).toBe(rotated.kid);
    const arrived = h.platform.waitFor('deep-link');
    expect((await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) })).status).toBe(200);
    expect((await arrived)[0].items).toHaveLength(1);
  });
});

describe('tool configuration', () => {
  it('serves the Canvas developer key JSON with the tool URLs', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/lti/config/canvas.json', headers: { host: h.host } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      title: 'Learnpath',
      oidc_initiation_url: `${h.base}/lti/login`,
      target_link_uri: `${h.base}/lti/launch`,
      public_jwk_url: `${h.base}/lti/jwks`,
      scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
      extensions: [{ platform: 'canvas.instructure.com', domain: h.host, privacy_level: 'anonymous', settings: { placements: [{ placement: 'link_selection', message_type: 'LtiDeepLinkingRequest' }, { placement: 'assignment_selection' }] } }],
    });
  });
});
