import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openStore, type Store } from '@learnpath/store';
import type { App } from '../src/app.js';
import { createTestApp } from './support/app.js';
import { redactUrl } from '../src/plugins/log-redaction.js';
import { SEED } from './support/fixtures.js';
import { learnCatalog } from './support/learn-catalogs.js';

interface LogLine {
  msg?: string;
  req?: { method: string; url: string };
}

describe('request logging (LOG_REQUESTS=true)', () => {
  let learners: Store;
  let app: App;
  let written = '';
  const writer = createApiKey('lms-backend', ['progress:write']);

  beforeAll(async () => {
    learners = await openStore({ dataDir: null });
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    app = await createTestApp({ catalog: learnCatalog(), learnerStore: learners, apiKeys: [writer], rateLimit: false, logger: { level: 'info', stream }, logRequests: true });
    // An in-memory PGlite takes seconds to create, more on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await learners?.close();
  });

  const incoming = (): LogLine[] =>
    written
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.msg === 'incoming request');

  it('logs a learner link without its token', async () => {
    const made = await app.inject({ method: 'POST', url: '/v1/learners/learner-log/links', headers: { authorization: `Bearer ${writer.secret}` }, payload: { path: SEED } });
    expect(made.statusCode).toBe(201);
    const url = new URL((made.json() as { url: string }).url);
    const token = url.pathname.split('/').pop()!;
    expect(token.length).toBeGreaterThan(20);
    const opened = await app.inject({ method: 'GET', url: url.pathname });
    expect(opened.statusCode).toBe(303);

    const logged = incoming().map((line) => line.req!.url);
    expect(logged).toContain('/learn/link/[Redacted]');
    expect(written).not.toContain(token);
    expect(written).not.toContain(writer.secret);
  });

  it('logs a cmi5 launch and an LTI request without their tokens, keeping the other parameters', async () => {
    const fetchUrl = 'http://127.0.0.1:9/fetch/one-time-secret-4711';
    const query = new URLSearchParams({
      endpoint: 'http://127.0.0.1:9/xapi/',
      fetch: fetchUrl,
      actor: JSON.stringify({ account: { homePage: 'https://lms.example.org', name: 'x' } }),
      registration: '3f0e6a2c-1b2d-4c5e-8f90-123456789abc',
      activityId: 'https://lms.example.org/activity/1',
    });
    await app.inject({ method: 'GET', url: `/learn/${SEED}/batch-processing?${query}` });
    await app.inject({ method: 'GET', url: '/lti/register?openid_configuration=https%3A%2F%2Flms.example.org%2Fconfig&registration_token=reg-secret-0815' });
    await app.inject({ method: 'GET', url: '/lti/launch?state=state-secret-1234&id_token=eyJ.secret-jwt.sig' });

    const logged = incoming().map((line) => line.req!.url);
    const launch = logged.find((url) => url.startsWith(`/learn/${SEED}/batch-processing?`))!;
    const params = new URLSearchParams(launch.split('?')[1]);
    expect(params.get('fetch')).toBe('[Redacted]');
    expect(params.get('registration')).toBe('3f0e6a2c-1b2d-4c5e-8f90-123456789abc');
    expect(params.get('endpoint')).toBe('http://127.0.0.1:9/xapi/');
    for (const secret of ['one-time-secret-4711', 'reg-secret-0815', 'state-secret-1234', 'secret-jwt']) expect(written).not.toContain(secret);
    expect(logged).toContain('/lti/register?openid_configuration=https%3A%2F%2Flms.example.org%2Fconfig&registration_token=[Redacted]');
  });
});

describe('redactUrl', () => {
  it('redacts token-bearing parameters whatever their case or encoding, and leaves the rest as sent', () => {
    expect(redactUrl('/a?Token=x&q=kafka&%66etch=y&flag&state=')).toBe('/a?Token=[Redacted]&q=kafka&%66etch=[Redacted]&flag&state=[Redacted]');
    expect(redactUrl('/learn/link/lpl_abc?x=1')).toBe('/learn/link/[Redacted]?x=1');
    expect(redactUrl('/learn/linked/abc')).toBe('/learn/linked/abc');
    expect(redactUrl('/v1/paths?q=%E0%A4%A')).toBe('/v1/paths?q=%E0%A4%A');
  });
});
