import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgsTokenClient, buildScore, createScoreSender, MemoryOutbox, OutboxDeliverer, StaticPlatformRegistry, type OutboxScore } from '../src/lti/index.js';
import type { RecordedScore } from './support/lti-platform.js';
import { startLtiHarness, type LtiHarness } from './support/lti-tool.js';

let h: LtiHarness;
beforeAll(async () => {
  h = await startLtiHarness();
});
afterAll(() => h.close());
afterEach(() => {
  h.platform.scoreMode = 'ok';
});

describe('Assignment and Grade Services', () => {
  it('gets an access token with a signed client assertion, caches it, and posts scores the platform accepts', async () => {
    const client = new AgsTokenClient({ keys: h.keys });
    const issuedBefore = h.platform.tokensIssued;
    const at = new Date('2026-01-02T03:04:05.000Z');
    await client.postScore(h.registration, h.platform.lineItemUrl('li-1'), buildScore('user-1', 40, at));
    await client.postScore(h.registration, h.platform.lineItemUrl('li-1'), buildScore('user-1', 100, at));
    expect(h.platform.tokensIssued).toBe(issuedBefore + 1);
    expect(h.platform.scores.slice(-2)).toEqual([
      { lineItem: h.platform.lineItemUrl('li-1'), score: { userId: 'user-1', scoreGiven: 40, scoreMaximum: 100, activityProgress: 'InProgress', gradingProgress: 'Pending', timestamp: '2026-01-02T03:04:05.000Z' } },
      { lineItem: h.platform.lineItemUrl('li-1'), score: { userId: 'user-1', scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', timestamp: '2026-01-02T03:04:05.000Z' } },
    ]);
  });

  it('signs client assertions with a rotated tool key, which the platform fetches again', async () => {
    const client = new AgsTokenClient({ keys: h.keys });
    await h.keys.rotate(h.keyStore);
    const token = await client.accessToken(h.registration);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports a refused token request as a delivery error', async () => {
    const client = new AgsTokenClient({ keys: h.keys });
    const wrongClient = { ...h.registration, clientId: 'someone-else' };
    await expect(client.accessToken(wrongClient)).rejects.toMatchObject({ name: 'AgsDeliveryError', status: 400, retryable: false });
  });
});

describe('grade outbox', () => {
  it('delivers every score in order per learner and line item once the platform is back', async () => {
    const outbox = new MemoryOutbox();
    const registry = new StaticPlatformRegistry([h.registration]);
    const deliverer = new OutboxDeliverer({ outbox, send: createScoreSender(registry, new AgsTokenClient({ keys: h.keys })), retryBaseMs: 20, retryMaxMs: 200, pollMs: 1000 });
    const lineItem = h.platform.lineItemUrl('li-outbox');
    const enqueue = (userId: string, percent: number): Promise<unknown> =>
      outbox.enqueue({ issuer: h.registration.issuer, clientId: h.registration.clientId, lineItem, userId, score: buildScore(userId, percent, new Date()) } satisfies OutboxScore, new Date());

    h.platform.scoreMode = 'down';
    const refusedTwice = new Promise<void>((resolve) => {
      let n = 0;
      h.platform.on('score-refused', function count() {
        if (++n === 2) {
          h.platform.off('score-refused', count);
          resolve();
        }
      });
    });
    await enqueue('learner-a', 30);
    await enqueue('learner-b', 50);
    deliverer.start();
    await enqueue('learner-a', 60);
    deliverer.wake();
    await enqueue('learner-a', 100);
    deliverer.wake();
    await refusedTwice;
    expect(outbox.pending().map((e) => [e.userId, e.score.scoreGiven])).toEqual([
      ['learner-a', 30],
      ['learner-b', 50],
      ['learner-a', 60],
      ['learner-a', 100],
    ]);

    h.platform.scoreMode = 'fail';
    await h.platform.waitFor('score-refused', (why) => why === 'fail');
    h.platform.scoreMode = 'ok';
    const last = h.platform.waitFor('score', (s) => s.score.userId === 'learner-a' && s.score.scoreGiven === 100);
    const otherLearner = h.platform.waitFor('score', (s) => s.score.userId === 'learner-b');
    await Promise.all([last, otherLearner]);
    await deliverer.stop();

    const arrived = (user: string): number[] => h.platform.scores.filter((s: RecordedScore) => s.lineItem === lineItem && s.score.userId === user).map((s) => s.score.scoreGiven);
    expect(arrived('learner-a')).toEqual([30, 60, 100]);
    expect(arrived('learner-b')).toEqual([50]);
    expect(outbox.pending()).toEqual([]);
  });

  it('sets aside a score the platform refuses for good, and its queue moves on', async () => {
    const outbox = new MemoryOutbox();
    const registry = new StaticPlatformRegistry([h.registration]);
    const deliverer = new OutboxDeliverer({ outbox, send: createScoreSender(registry, new AgsTokenClient({ keys: h.keys })), retryBaseMs: 20 });
    const abandoned = new Promise<string>((resolve) => deliverer.once('abandoned', (_entry, error) => resolve(error.message)));
    const lineItem = h.platform.lineItemUrl('li-refused');
    const queue = { issuer: h.registration.issuer, clientId: h.registration.clientId, lineItem, userId: 'u' };
    // A score the platform's validation refuses (400): retrying cannot help.
    await outbox.enqueue({ ...queue, score: { ...buildScore('u', 10, new Date()), activityProgress: 'Finished' as never } }, new Date());
    await outbox.enqueue({ ...queue, score: buildScore('u', 20, new Date()) }, new Date());
    expect(await deliverer.runOnce()).toBe(1);
    expect(await abandoned).toBe('the platform refused the score (HTTP 400)');
    expect(h.platform.scores.filter((s) => s.lineItem === lineItem).map((s) => s.score.scoreGiven)).toEqual([20]);
    expect(outbox.pending()).toEqual([]);
  });
});
