import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { listenApp } from './support/app.js';

// The GraphQL-over-HTTP audit suite of graphql-http, against the service listening on a port.
// No notice remains either (the README says so); a new one would fail here until explained.
const EXPECTED_NOTICES: Record<string, string> = {};

describe('GraphQL over HTTP (graphql-http serverAudits)', () => {
  let app: App;
  let base = '';
  let results: AuditResult[] = [];

  beforeAll(async () => {
    ({ app, base } = await listenApp());
    const audits = serverAudits({ url: `${base}/graphql`, fetchFn: fetch });
    results = await Promise.all(audits.map((audit) => audit.fn()));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('passes every audit: no warning, no error', () => {
    const failed = results.filter((r) => r.status === 'warn' || r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failed).toEqual([]);
    expect(results.filter((r) => r.status === 'ok').length).toBeGreaterThan(50);
  });

  it('leaves only the notices the README explains', () => {
    const notices = Object.fromEntries(results.filter((r) => r.status === 'notice').map((r) => [r.id, r.name]));
    expect(notices).toEqual(EXPECTED_NOTICES);
  });
});
