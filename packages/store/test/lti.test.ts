import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, StoreInputError, type LtiOutboxScore, type Store, type StoreOptions } from '../src/index.js';
import { testEngines } from '@learnpath/store/testing';

const engines = await testEngines();
const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds));
const score = (userId: string, lineItem: string, percent: number): LtiOutboxScore => ({
  issuer: 'https://lms.example',
  clientId: 'tool-1',
  lineItem,
  userId,
  score: { userId, scoreGiven: percent, scoreMaximum: 100 },
});
const jwk = { kty: 'RSA', n: 'modulus', e: 'AQAB', d: 'private-exponent' };

describe.each(engines)('LTI storage on $engine.name', ({ engine, skip }) => {
  let store: Store;
  let options: StoreOptions;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (skip !== null) return;
    ({ store, options, cleanup } = await engine.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it.skipIf(skip !== null)('keeps a person only with a name or email, lets a session see one course until it expires, and erases both with the learner', async () => {
    await store.lti.savePerson({ learnerId: 'lti-person', name: 'Ada <L>', email: null });
    expect(await store.lti.listPeople(['lti-person', 'lti-nobody'])).toEqual([{ learnerId: 'lti-person', name: 'Ada <L>', email: null }]);
    await store.lti.savePerson({ learnerId: 'lti-person', name: null, email: 'ada@example.org' });
    expect(await store.lti.listPeople(['lti-person'])).toEqual([{ learnerId: 'lti-person', name: null, email: 'ada@example.org' }]);
    await store.lti.savePerson({ learnerId: 'lti-person', name: '', email: null });
    expect(await store.lti.listPeople(['lti-person'])).toEqual([]);
    await expect(store.lti.savePerson({ learnerId: 'lti-person', name: 'x'.repeat(501), email: null })).rejects.toBeInstanceOf(StoreInputError);

    const session = await store.createSession({ learnerId: 'lti-teacher', expiresAt: at(100) });
    const view = { learnerId: 'lti-teacher', issuer: 'https://lms.example', clientId: 'tool-1', contextId: 'course-9', title: 'Course <9>' };
    await store.lti.grantCourseView(session.id, view, at(100));
    expect(await store.lti.findCourseView(session.id, at(50))).toEqual(view);
    expect(await store.lti.findCourseView(session.id, at(150))).toBeNull();
    expect(await store.lti.findCourseView(`lps_${'b'.repeat(43)}`, at(50))).toBeNull();

    await store.lti.savePerson({ learnerId: 'lti-teacher', name: 'Prof', email: null });
    await store.eraseLearner('lti-teacher');
    expect(await store.lti.findCourseView(session.id, at(50))).toBeNull();
    expect(await store.lti.listPeople(['lti-teacher'])).toEqual([]);
  });

  it.skipIf(skip !== null)('a registration keeps whether the platform may leave personal data (default no)', async () => {
    const platform = { issuer: 'https://keep.example', clientId: 'c-1', deploymentIds: ['d-1'], authLoginUrl: 'https://keep.example/auth', accessTokenUrl: 'https://keep.example/token', jwksUrl: 'https://keep.example/jwks' };
    await store.lti.savePlatform(platform);
    expect((await store.lti.findPlatforms(platform.issuer))[0]?.keepPersonalData).toBe(false);
    await store.lti.savePlatform({ ...platform, keepPersonalData: true });
    expect((await store.lti.findPlatforms(platform.issuer))[0]?.keepPersonalData).toBe(true);
  });

  it.skipIf(skip !== null)('a nonce is used once; concurrent uses let exactly one through; expired nonces are removed', async () => {
    const until = new Date(Date.now() + 60_000);
    expect(await store.lti.useNonce('n-1', until)).toBe(true);
    expect(await store.lti.useNonce('n-1', until)).toBe(false);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.lti.useNonce('n-2', until)));
    expect(results.filter(Boolean)).toHaveLength(1);
    // Once expired (as seen from a later clock), the row is cleaned up and the id may be recorded again.
    expect(await store.lti.useNonce('n-3', at(0), at(0))).toBe(true);
    expect(await store.lti.useNonce('n-3', at(100), at(50))).toBe(true);
    await expect(store.lti.useNonce('', until)).rejects.toBeInstanceOf(StoreInputError);
  });

  it.skipIf(skip !== null)('tool keys: listed newest first, retired keys disappear, encrypted at rest with a secret', async () => {
    const plain = store.lti.toolKeys(null);
    await plain.addKey({ kid: 'k-plain', privateJwk: jwk, createdAt: at(1) });
    const secret = store.lti.toolKeys('a long operator secret');
    await secret.addKey({ kid: 'k-secret', privateJwk: { ...jwk, d: 'other' }, createdAt: at(2) });
    expect((await secret.listKeys()).map((k) => [k.kid, k.privateJwk.d, k.createdAt.toISOString()])).toEqual([
      ['k-secret', 'other', at(2).toISOString()],
      ['k-plain', 'private-exponent', at(1).toISOString()],
    ]);
    await expect(plain.listKeys()).rejects.toThrow(/k-secret is stored encrypted/);
    await expect(store.lti.toolKeys('wrong').listKeys()).rejects.toThrow(/cannot be decrypted/);
    await secret.retireKey('k-secret');
    expect((await plain.listKeys()).map((k) => k.kid)).toEqual(['k-plain']);
    await plain.retireKey('k-plain');
    expect(await plain.listKeys()).toEqual([]);
    // Replicas generating their first key together keep exactly one.
    const firsts = await Promise.all(['f-1', 'f-2', 'f-3'].map((kid) => plain.addFirstKey({ kid, privateJwk: jwk, createdAt: at(4) })));
    expect(firsts.filter(Boolean)).toHaveLength(1);
    expect(await plain.listKeys()).toHaveLength(1);
    await plain.retireKey((await plain.listKeys())[0]!.kid);
  });

  it.skipIf(skip !== null || engine.name !== 'postgres')('the encrypted key is not readable in the table', async () => {
    if (!('databaseUrl' in options)) throw new Error('expected a PostgreSQL store');
    await store.lti.toolKeys('s3cret').addKey({ kid: 'k-raw', privateJwk: { ...jwk, d: 'very-private' }, createdAt: at(3) });
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ private_key: string }>(`select private_key from "${options.schema}".lti_tool_keys where kid = 'k-raw'`);
    await client.end();
    expect(rows[0]!.private_key).not.toContain('very-private');
    await store.lti.toolKeys('s3cret').retireKey('k-raw');
  });

  it.skipIf(skip !== null)('platform registrations: found by issuer; registering again adds deployments', async () => {
    const platform = { issuer: 'https://lms.example', clientId: 'c-1', deploymentIds: ['d-1'], authLoginUrl: 'https://lms.example/auth', accessTokenUrl: 'https://lms.example/token', jwksUrl: 'https://lms.example/jwks' };
    await store.lti.savePlatform(platform);
    await store.lti.savePlatform({ ...platform, deploymentIds: ['d-2'] });
    await store.lti.savePlatform({ ...platform, clientId: 'c-2' });
    expect(await store.lti.findPlatforms('https://lms.example')).toEqual([{ ...platform, deploymentIds: ['d-1', 'd-2'], keepPersonalData: false }, { ...platform, clientId: 'c-2', keepPersonalData: false }]);
    expect(await store.lti.findPlatforms('https://other.example')).toEqual([]);
  });

  it.skipIf(skip !== null)('outbox: heads of each queue only, in order, leased, retried when due, abandoned entries step aside', async () => {
    const box = store.lti.outbox;
    const a1 = await box.enqueue(score('alice', 'li-1', 10), at(0));
    const a2 = await box.enqueue(score('alice', 'li-1', 20), at(1));
    const b1 = await box.enqueue(score('bob', 'li-1', 50), at(2));
    expect(a1.score).toEqual({ userId: 'alice', scoreGiven: 10, scoreMaximum: 100 });

    const first = await box.claimDue(at(10), at(70), 10);
    expect(first.map((e) => e.id)).toEqual([a1.id, b1.id]);
    // Leased: nothing more until the lease ends.
    expect(await box.claimDue(at(11), at(71), 10)).toEqual([]);
    expect((await box.nextDueAt())?.toISOString()).toBe(at(70).toISOString());

    await box.markFailed(a1.id, at(30), 'platform down');
    await box.markDelivered(b1.id);
    // alice's head failed and waits until 30 s; her second score must not overtake it.
    expect(await box.claimDue(at(20), at(80), 10)).toEqual([]);
    const retried = await box.claimDue(at(30), at(90), 10);
    expect(retried.map((e) => [e.id, e.attempts])).toEqual([[a1.id, 1]]);
    await box.markAbandoned(a1.id, 'line item gone');
    const next = await box.claimDue(at(31), at(91), 10);
    expect(next.map((e) => e.score.scoreGiven)).toEqual([20]);
    expect(next[0]!.id).toBe(a2.id);
    await box.markDelivered(a2.id);
    expect(await box.listWaiting()).toEqual([]);
    expect(await box.nextDueAt()).toBeNull();
    // A lease that ran out (its deliverer died) lets another claim the entry.
    const c1 = await box.enqueue(score('carol', 'li-2', 5), at(40));
    expect((await box.claimDue(at(41), at(42), 10)).map((e) => e.id)).toEqual([c1.id]);
    expect((await box.claimDue(at(43), at(100), 10)).map((e) => e.id)).toEqual([c1.id]);
    await box.markDelivered(c1.id);
  });
});

const postgres = engines.find((e) => e.engine.name === 'postgres')!;
describe.skipIf(postgres.skip !== null)('LTI storage shared by replicas on one PostgreSQL', () => {
  it('two replicas claiming together never hold two entries of one queue, nor one entry twice', async () => {
    const { store: first, options, cleanup } = await postgres.engine.open();
    const second = await openStore(options);
    try {
      for (let i = 0; i < 6; i++) await first.lti.outbox.enqueue(score(`learner-${i % 3}`, 'li-1', i), at(i));
      const now = at(60);
      const [a, b] = await Promise.all([first.lti.outbox.claimDue(now, at(120), 10), second.lti.outbox.claimDue(now, at(120), 10)]);
      const claimed = [...a, ...b];
      expect(new Set(claimed.map((e) => e.id)).size).toBe(claimed.length);
      expect(claimed.map((e) => e.userId).sort()).toEqual(['learner-0', 'learner-1', 'learner-2']);
      expect(claimed.map((e) => e.score.scoreGiven).sort()).toEqual([0, 1, 2]);
      expect(await second.lti.useNonce('shared', at(1000), at(0))).toBe(true);
      expect(await first.lti.useNonce('shared', at(1000), at(0))).toBe(false);
    } finally {
      await second.close();
      await cleanup();
    }
  });
});

describe.each(engines)('graded launches on $engine.name', ({ engine, skip }) => {
  it.skipIf(skip !== null)('are recorded once per line item, listed per learner and path, and erased with the learner', async () => {
    const { store, cleanup } = await engine.open();
    try {
      const launch = { learnerId: 'lti-abc', slug: 'kafka', issuer: 'https://lms.example', clientId: 'c-1', contextId: 'course-1', lineItem: 'https://lms.example/li/1', userId: 'u-1' };
      await store.lti.recordLaunch(launch);
      await store.lti.recordLaunch(launch);
      await store.lti.recordLaunch({ ...launch, lineItem: 'https://lms.example/li/2' });
      expect((await store.lti.listLaunches('lti-abc', 'kafka')).map((l) => l.lineItem)).toEqual(['https://lms.example/li/1', 'https://lms.example/li/2']);
      expect(await store.lti.listLaunches('lti-abc', 'react')).toEqual([]);
      await store.lti.recordLaunch({ ...launch, learnerId: 'lti-def', lineItem: '' });
      await store.lti.recordLaunch({ ...launch, learnerId: 'lti-ghi', contextId: 'course-2' });
      const course = { issuer: 'https://lms.example', clientId: 'c-1', contextId: 'course-1', slug: 'kafka' };
      expect(await store.lti.listCourseLearners(course)).toEqual(['lti-abc', 'lti-def']);
      await store.eraseLearner('lti-abc');
      expect(await store.lti.listLaunches('lti-abc', 'kafka')).toEqual([]);
      expect(await store.lti.listCourseLearners(course)).toEqual(['lti-def']);
    } finally {
      await cleanup();
    }
  });
});
