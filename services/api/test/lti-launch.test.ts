import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from './support/fixtures.js';
import type { Misbehaviour } from './support/lti-platform.js';
import { launch, loginAt, postLaunch, startLtiHarness, type LtiHarness } from './support/lti-tool.js';

let h: LtiHarness;
beforeAll(async () => {
  h = await startLtiHarness();
});
afterAll(() => h.close());

const resourceLink = (overrides: object = {}) => ({
  message: 'LtiResourceLinkRequest' as const,
  targetLinkUri: `${h.base}/learn/${SEED}`,
  ...overrides,
});

describe('OIDC login initiation', () => {
  it('redirects to the platform with every parameter of the authentication request and a cross-site state cookie', async () => {
    const params = h.platform.prepareLaunch(resourceLink());
    const login = await h.app.inject({ method: 'GET', url: `/lti/login?${new URLSearchParams(params)}`, headers: { host: h.host } });
    expect(login.statusCode).toBe(302);
    const location = new URL(String(login.headers.location));
    expect(location.origin + location.pathname).toBe(h.platform.authUrl);
    const q = Object.fromEntries(location.searchParams);
    expect(q).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: h.platform.clientId,
      redirect_uri: `${h.base}/lti/launch`,
      login_hint: params.login_hint,
      lti_message_hint: params.lti_message_hint,
    });
    expect(q.state).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(q.nonce!.length).toBeGreaterThanOrEqual(32);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/^lti_state_[\w-]+=[\w-]+; Path=\/lti; Max-Age=600; HttpOnly; Secure; SameSite=None; Partitioned$/);
  });

  it.each([
    ['iss', { iss: 'https://unknown.example' }],
    ['iss', { iss: '' }],
    ['login_hint', { login_hint: '' }],
    ['target_link_uri', { target_link_uri: 'https://evil.example/learn/x' }],
    ['target_link_uri', { target_link_uri: '' }],
    ['client_id', { client_id: 'someone-else' }],
    ['deployment', { lti_deployment_id: 'not-ours' }],
  ])('refuses a login with a bad %s (%j) and sets no cookie', async (check, override) => {
    const { login } = await loginAt(h, resourceLink(), override as Record<string, string>);
    expect(login.statusCode).toBe(400);
    expect(login.headers['set-cookie']).toBeUndefined();
    expect(login.headers['content-type']).toMatch(/^text\/html/);
    expect(login.body).toContain(`<code>${check}</code>`);
  });
});

describe('resource link launch', () => {
  it('verifies a learner launch, shows the path and clears the state cookie', async () => {
    const before = h.nonces.used.length;
    const { form, cookie } = await loginAt(h, resourceLink({ name: 'Ada <Lovelace>' }));
    const response = await h.app.inject({
      method: 'POST',
      url: '/lti/launch',
      headers: { host: h.host, 'content-type': 'application/x-www-form-urlencoded', cookie: cookie! },
      payload: new URLSearchParams(form!.fields).toString(),
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Batch vs Stream Processing</h1>');
    expect(response.body).toContain('Signed in as Ada &lt;Lovelace&gt; from Data Engineering 101.');
    expect(String(response.headers['set-cookie'])).toMatch(/Max-Age=0/);
    expect(response.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(h.nonces.used.length).toBe(before + 1);
  });

  it('takes the path from the custom parameter and recognises an instructor', async () => {
    const { response } = await launch(h, resourceLink({ targetLinkUri: `${h.base}/lti/launch`, custom: { path: 'alpha-streams' }, role: 'instructor' }));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Alpha Streams</h1>');
    expect(response.body).toContain('(instructor)');
  });

  it('refuses a link that names no path, or a path not in the catalog', async () => {
    const none = await launch(h, resourceLink({ targetLinkUri: `${h.base}/lti/launch` }));
    expect(none.response.statusCode).toBe(400);
    expect(none.response.json()).toMatchObject({ check: 'claims' });
    const gone = await launch(h, resourceLink({ custom: { path: 'no-such-path' } }));
    expect(gone.response.statusCode).toBe(404);
  });
});

describe('refused launches: a 4xx naming the check, nothing stored, no token contents echoed', () => {
  const refused = async (misbehave: Misbehaviour, check: string) => {
    const before = h.nonces.used.length;
    const { form, cookie } = await loginAt(h, resourceLink({ misbehave }));
    const response = await postLaunch(h, form!.fields, cookie);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, check });
    expect(response.body).not.toContain(form!.fields.id_token!.split('.')[1]!.slice(0, 20));
    expect(h.nonces.used.length).toBe(before);
  };

  it('a bad signature', () => refused('bad-signature', 'signature'));
  it('alg: none', () => refused('alg-none', 'alg'));
  it('HS256 keyed with the platform public key', () => refused('hs256', 'alg'));
  it('a wrong aud', () => refused('wrong-aud', 'aud'));
  it('an unknown deployment', () => refused('unknown-deployment', 'deployment'));
  it('an expired token', () => refused('expired', 'exp'));
  it('a nonce other than the login one', () => refused('wrong-nonce', 'nonce'));
  it('a token without the LTI version', () => refused('no-version', 'version'));

  it('a replayed id_token', async () => {
    const { form, cookie } = await loginAt(h, resourceLink());
    expect((await postLaunch(h, form!.fields, cookie)).statusCode).toBe(200);
    const before = h.nonces.used.length;
    const replay = await postLaunch(h, form!.fields, cookie);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ check: 'nonce' });
    expect(h.nonces.used.length).toBe(before);
  });

  it('a missing state cookie, with a way to start again in a window of its own', async () => {
    const { form } = await loginAt(h, resourceLink());
    const before = h.nonces.used.length;
    const response = await postLaunch(h, form!.fields, undefined);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ check: 'state', reopen: expect.stringMatching(/^\/lti\/login\?/) });
    expect(h.nonces.used.length).toBe(before);

    // A browser gets the refusal page with an "Open in a new window" form that starts the login again.
    const page = await h.app.inject({ method: 'POST', url: '/lti/launch', headers: { host: h.host, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: new URLSearchParams(form!.fields).toString() });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('<form method="get" action="/lti/login" target="_blank">');
    expect(page.body).toContain('Open in a new window');
    const hidden = Object.fromEntries([...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
    expect(hidden).toMatchObject({ iss: h.platform.issuer, client_id: h.platform.clientId, login_hint: expect.any(String), target_link_uri: expect.stringContaining(h.base) });
    const again = await h.app.inject({ url: `/lti/login?${new URLSearchParams(hidden)}`, headers: { host: h.host } });
    expect(again.statusCode).toBe(302);
    expect(String(again.headers.location)).toContain(new URL(h.platform.registration.authLoginUrl).origin);
    expect(String(again.headers['set-cookie'])).toMatch(/^lti_state_/);
  });

  it('a state from another login, or no state at all', async () => {
    const first = await loginAt(h, resourceLink());
    const second = await loginAt(h, resourceLink());
    const swapped = await postLaunch(h, { id_token: first.form!.fields.id_token!, state: second.form!.fields.state! }, first.cookie);
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json()).toMatchObject({ check: 'state' });
    const tampered = await postLaunch(h, { ...first.form!.fields, state: `${first.form!.fields.state!}x` }, first.cookie);
    expect(tampered.json()).toMatchObject({ check: 'state' });
    const missing = await postLaunch(h, { id_token: first.form!.fields.id_token! }, first.cookie);
    expect(missing.json()).toMatchObject({ check: 'state' });
  });

  it('a state whose browser cookie belongs to another login', async () => {
    const first = await loginAt(h, resourceLink());
    const second = await loginAt(h, resourceLink());
    const name = first.cookie!.split('=')[0]!;
    const stolen = `${name}=${second.cookie!.split('=')[1]!}`;
    const response = await postLaunch(h, first.form!.fields, stolen);
    expect(response.json()).toMatchObject({ check: 'state' });
  });

  it('shows people an HTML page', async () => {
    const { form } = await loginAt(h, resourceLink());
    const response = await h.app.inject({ method: 'POST', url: '/lti/launch', headers: { host: h.host, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: new URLSearchParams(form!.fields).toString() });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('The launch was refused');
    expect(response.body).toContain('<code>state</code>');
  });
});

describe('key rotation', () => {
  it('accepts launches signed with the platform new key (the key set is fetched again for an unknown kid)', async () => {
    expect((await launch(h, resourceLink())).response.statusCode).toBe(200);
    const oldKid = h.platform.kid;
    const kid = await h.platform.rotateKey(false);
    expect(kid).not.toBe(oldKid);
    const { response, form } = await launch(h, resourceLink());
    expect(JSON.parse(Buffer.from(form.fields.id_token!.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    expect(response.statusCode).toBe(200);
  });

  it('publishes a second tool key and goes on verifying states signed with the first', async () => {
    const { form, cookie } = await loginAt(h, resourceLink());
    const first = h.keys.signingKey.kid;
    const second = await h.keys.rotate(h.keyStore);
    const jwks = (await h.app.inject({ method: 'GET', url: '/lti/jwks' })).json() as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([second.kid, first]);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect((await postLaunch(h, form!.fields, cookie)).statusCode).toBe(200);
  });
});
