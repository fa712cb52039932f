import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from './support/fixtures.js';
import { readAutoPostForm } from './support/lti-platform.js';
import { postLaunch, startLtiHarness, type LtiHarness } from './support/lti-tool.js';

// LTI Client Side postMessages (platform storage), through app.inject: the login keeps the
// state's browser secret in the platform's storage frame as well as in the cookie, and a launch
// that arrives without the cookie reads it back from there. What the pages' scripts do in a
// browser is tested in lti-browser.e2e.test.ts.

let h: LtiHarness;
beforeAll(async () => {
  h = await startLtiHarness();
});
afterAll(() => h.close());

const FORM = 'application/x-www-form-urlencoded';
const resourceLink = () => ({ message: 'LtiResourceLinkRequest' as const, targetLinkUri: `${h.base}/learn/${SEED}` });

/** The data attributes of the element with `id` (or of the first form) in a page. */
function dataOf(body: string, tag: 'p' | 'form'): Record<string, string> {
  const element = new RegExp(`<${tag}\\b[^>]*data-target[^>]*>`).exec(body)?.[0] ?? '';
  const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return Object.fromEntries([...element.matchAll(/data-([a-z]+)="([^"]*)"/g)].map(([, name, value]) => [name!, unescape(value!)]));
}

/** A login with `lti_storage_target`: the page, what it keeps in the storage, the cookie, and the form the platform then posts. */
async function loginWithStorage(target = 'lti-storage') {
  const params = { ...h.platform.prepareLaunch(resourceLink()), lti_storage_target: target };
  const login = await h.app.inject({ method: 'POST', url: '/lti/login', headers: { host: h.host, 'content-type': FORM }, payload: new URLSearchParams(params).toString() });
  const stored = dataOf(login.body, 'p');
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const auth = await fetch(stored['next']!);
  expect(auth.status).toBe(200);
  return { login, stored, cookie, form: readAutoPostForm(await auth.text()) };
}

describe('LTI platform storage', () => {
  it('a login offered the platform storage answers a page that keeps the secret there, then goes to the platform; the cookie is set as well', async () => {
    const { login, stored, cookie, form } = await loginWithStorage();
    expect(login.statusCode).toBe(200);
    expect(login.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(login.headers['cache-control']).toBe('no-store');
    expect(String(login.headers['content-security-policy'])).toMatch(/script-src 'sha256-[\w+/=]+'/);
    const state = decodeJwt(new URL(stored['next']!).searchParams.get('state')!);
    expect(stored).toEqual({ target: 'lti-storage', origin: new URL(h.platform.authUrl).origin, key: `lti_state_${state.jti}`, value: cookie.split('=')[1], next: expect.stringMatching(`^${h.platform.authUrl}\\?`) });
    expect(state['storage']).toEqual({ target: 'lti-storage', origin: new URL(h.platform.authUrl).origin });
    // With the cookie, the launch goes through as before.
    const launched = await postLaunch(h, form.fields, cookie);
    expect(launched.statusCode).toBe(200);
  });

  it('a launch without the cookie answers a page that reads the secret back and posts the launch again; with it the launch goes through', async () => {
    const { stored, form } = await loginWithStorage();
    const first = await h.app.inject({ method: 'POST', url: '/lti/launch', headers: { host: h.host, 'content-type': FORM }, payload: new URLSearchParams(form.fields).toString() });
    expect(first.statusCode).toBe(200);
    expect(String(first.headers['content-security-policy'])).toContain("form-action 'self'");
    const again = readAutoPostForm(first.body);
    expect(again.action).toBe('/lti/launch');
    expect(again.fields).toEqual({ id_token: form.fields.id_token, state: form.fields.state, lti_storage_secret: '', lti_storage_looked: '1' });
    expect(dataOf(first.body, 'form')).toEqual({ target: 'lti-storage', origin: stored['origin'], key: stored['key'] });
    // What the page posts once the platform's storage answered: the launch goes through (the
    // first answer used nothing up).
    const launched = await postLaunch(h, { ...again.fields, lti_storage_secret: stored['value']! }, undefined);
    expect(launched.statusCode).toBe(200);
    expect(launched.body).toContain('Batch vs Stream Processing');
    // Once: the nonce is used up.
    const replayed = await postLaunch(h, { ...again.fields, lti_storage_secret: stored['value']! }, undefined);
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json()).toMatchObject({ check: 'nonce' });
  });

  it('refuses a secret that is not the login one, and offers a new window when the storage had none', async () => {
    const { stored, form } = await loginWithStorage();
    const secret = stored['value']!;
    const wrong = await postLaunch(h, { ...form.fields, lti_storage_secret: `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`, lti_storage_looked: '1' }, undefined);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ check: 'state', detail: 'The state does not belong to this browser.' });
    const none = await postLaunch(h, { ...form.fields, lti_storage_secret: '', lti_storage_looked: '1' }, undefined);
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ check: 'state', reopen: expect.stringMatching(/^\/lti\/login\?/) });
    // Still unused: the right secret launches.
    expect((await postLaunch(h, { ...form.fields, lti_storage_secret: stored['value']! }, undefined)).statusCode).toBe(200);
  });

  it('a login without the storage, or with a target that is not a frame name, redirects and binds by the cookie alone', async () => {
    for (const target of [undefined, '', 'a b', '<script>', 'x'.repeat(200)]) {
      const params = { ...h.platform.prepareLaunch(resourceLink()), ...(target === undefined ? {} : { lti_storage_target: target }) };
      const login = await h.app.inject({ method: 'GET', url: `/lti/login?${new URLSearchParams(params)}`, headers: { host: h.host } });
      expect(login.statusCode, String(target)).toBe(302);
      expect(decodeJwt(new URL(String(login.headers.location)).searchParams.get('state')!)['storage']).toBeUndefined();
    }
    // Its launch without the cookie is refused at once, with the new window offered.
    const params = h.platform.prepareLaunch(resourceLink());
    const login = await h.app.inject({ method: 'GET', url: `/lti/login?${new URLSearchParams(params)}`, headers: { host: h.host } });
    const form = readAutoPostForm(await (await fetch(String(login.headers.location))).text());
    const refused = await postLaunch(h, form.fields, undefined);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ check: 'state', reopen: expect.any(String) });
    // A secret posted for a login that kept none in the storage is compared all the same.
    expect((await postLaunch(h, { ...form.fields, lti_storage_secret: 'guess', lti_storage_looked: '1' }, undefined)).json()).toMatchObject({ detail: 'The state does not belong to this browser.' });
  });

  it('escapes what it writes into the pages', async () => {
    const { login } = await loginWithStorage('_parent');
    expect(dataOf(login.body, 'p')['target']).toBe('_parent');
    expect(login.body).not.toMatch(/<script>[^<]*lti_state_/);
  });
});
