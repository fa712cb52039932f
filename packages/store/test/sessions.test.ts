import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreInputError, type Store } from '../src/index.js';
import { testEngines } from '@learnpath/store/testing';

const engines = await testEngines();
const inMinutes = (minutes: number, from = new Date()): Date => new Date(from.getTime() + minutes * 60_000);

describe.each(engines)('learner links and sessions on $engine.name', ({ engine, skip }) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (skip !== null) return;
    ({ store, cleanup } = await engine.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it.skipIf(skip !== null)('a link opens once: ok with its learner and path, then used', async () => {
    const link = await store.createLearnerLink({ learnerId: 'u-1', slug: 'kafka', expiresAt: inMinutes(5) });
    expect(link.token).toMatch(/^lpl_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now());
    expect(await store.consumeLearnerLink(link.token)).toEqual({ status: 'ok', learnerId: 'u-1', slug: 'kafka' });
    expect(await store.consumeLearnerLink(link.token)).toEqual({ status: 'used' });
  });

  it.skipIf(skip !== null)('a link without a path opens the catalog; an expired link opens nothing; a made-up token is unknown', async () => {
    const open = await store.createLearnerLink({ learnerId: 'u-2', expiresAt: inMinutes(5) });
    expect(await store.consumeLearnerLink(open.token)).toEqual({ status: 'ok', learnerId: 'u-2', slug: null });
    const link = await store.createLearnerLink({ learnerId: 'u-2', slug: 'kafka', expiresAt: inMinutes(5) });
    expect(await store.consumeLearnerLink(link.token, inMinutes(6))).toEqual({ status: 'expired' });
    // Expired stays expired: it was never consumed.
    expect(await store.consumeLearnerLink(link.token, inMinutes(6))).toEqual({ status: 'expired' });
    expect(await store.consumeLearnerLink(`lpl_${'A'.repeat(43)}`)).toEqual({ status: 'unknown' });
    expect(await store.consumeLearnerLink('x'.repeat(100_000))).toEqual({ status: 'unknown' });
  });

  it.skipIf(skip !== null)('twenty concurrent consumptions of one link: exactly one opens it', async () => {
    const link = await store.createLearnerLink({ learnerId: 'u-3', slug: 'kafka', expiresAt: inMinutes(5) });
    const results = await Promise.all(Array.from({ length: 20 }, () => store.consumeLearnerLink(link.token)));
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'used')).toHaveLength(19);
  });

  it.skipIf(skip !== null)('a session reads back its learner and CSRF token until it ends or expires', async () => {
    const session = await store.createSession({ learnerId: 'u-4', expiresAt: inMinutes(60) });
    expect(session.id).toMatch(/^lps_[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await store.getSession(session.id)).toEqual({ learnerId: 'u-4', csrfToken: session.csrfToken, expiresAt: session.expiresAt });
    expect(await store.getSession(session.id, inMinutes(61))).toBeNull();
    expect(await store.endSession(session.id)).toEqual({ ended: true });
    expect(await store.getSession(session.id)).toBeNull();
    expect(await store.endSession(session.id)).toEqual({ ended: false });
    expect(await store.getSession(`lps_${'A'.repeat(43)}`)).toBeNull();
    expect(await store.getSession('not a session id')).toBeNull();
  });

  it.skipIf(skip !== null)('a token or session id one character off finds nothing', async () => {
    const link = await store.createLearnerLink({ learnerId: 'u-5', expiresAt: inMinutes(5) });
    const session = await store.createSession({ learnerId: 'u-5', expiresAt: inMinutes(5) });
    expect(await store.getSession(session.id.slice(0, -1) + (session.id.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await store.consumeLearnerLink(link.token.slice(0, -1) + (link.token.endsWith('A') ? 'B' : 'A'))).toEqual({ status: 'unknown' });
  });

  it.skipIf(skip !== null)('erasing a learner ends their sessions and links', async () => {
    await store.completeResource({ learnerId: 'u-6', slug: 'kafka', resourceId: 'intro' });
    const link = await store.createLearnerLink({ learnerId: 'u-6', expiresAt: inMinutes(5) });
    const session = await store.createSession({ learnerId: 'u-6', expiresAt: inMinutes(5) });
    expect(await store.eraseLearner('u-6')).toEqual({ erased: true });
    expect(await store.getSession(session.id)).toBeNull();
    expect(await store.consumeLearnerLink(link.token)).toEqual({ status: 'unknown' });
  });

  it.skipIf(skip !== null)('refuses an invalid learner id, path or expiry with StoreInputError', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => store.createLearnerLink({ learnerId: 'a b', expiresAt: inMinutes(5) }), 'learnerId'],
      [() => store.createLearnerLink({ learnerId: 'ok', slug: '../x', expiresAt: inMinutes(5) }), 'slug'],
      [() => store.createLearnerLink({ learnerId: 'ok', expiresAt: new Date(Number.NaN) }), 'expiresAt'],
      [() => store.createSession({ learnerId: '', expiresAt: inMinutes(5) }), 'learnerId'],
    ];
    for (const [call, field] of cases) {
      const error = await call().then(() => null, (e: unknown) => e);
      expect(error, field).toBeInstanceOf(StoreInputError);
      expect((error as StoreInputError).field).toBe(field);
    }
  });
});
