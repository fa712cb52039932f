import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreInputError, type Store } from '../src/index.js';
import { testEngines } from '@learnpath/store/testing';

const engines = await testEngines();

describe.each(engines)('store on $engine.name', ({ engine, skip }) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let n = 0;
  const learner = (): string => `learner-${engine.name}-${++n}@example.org`;

  beforeAll(async () => {
    if (skip !== null) return;
    ({ store, cleanup } = await engine.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it.skipIf(skip !== null)('reports the engine', () => {
    expect(store.engine).toBe(engine.name);
  });

  it.skipIf(skip !== null)('a learner with no data has an empty state, no paths and no events', async () => {
    const id = learner();
    expect(await store.getPathState(id, 'some-path')).toEqual({ completions: [], updatedAt: null, revision: null });
    expect(await store.listStartedPaths(id)).toEqual([]);
    expect(await store.listCompletions(id)).toEqual([]);
    expect(await store.listEvents(id)).toEqual({ items: [], nextCursor: null });
  });

  it.skipIf(skip !== null)('completes idempotently, keeping the first time and logging one event', async () => {
    const id = learner();
    const first = await store.completeResource({ learnerId: id, slug: 'kafka', resourceId: 'intro', completedAt: '2026-05-01T12:00:00.000Z', source: 'page' });
    expect(first.changed).toBe(true);
    expect(first.state.completions).toEqual([{ slug: 'kafka', resourceId: 'intro', completedAt: '2026-05-01T12:00:00.000Z', source: 'page' }]);
    expect(first.state.revision).toMatch(/^\d+$/);
    const again = await store.completeResource({ learnerId: id, slug: 'kafka', resourceId: 'intro', completedAt: '2026-06-01T00:00:00Z' });
    expect(again.changed).toBe(false);
    expect(again.state).toEqual(first.state);
    const events = await store.listEvents(id);
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({ type: 'completed', slug: 'kafka', resourceId: 'intro', source: 'page', completedAt: '2026-05-01T12:00:00.000Z' });
  });

  it.skipIf(skip !== null)('uncompletes, changing the revision; uncompleting again changes nothing', async () => {
    const id = learner();
    const done = await store.completeResource({ learnerId: id, slug: 'kafka', resourceId: 'intro' });
    const undone = await store.uncompleteResource({ learnerId: id, slug: 'kafka', resourceId: 'intro', source: 'lti' });
    expect(undone.changed).toBe(true);
    expect(undone.state.completions).toEqual([]);
    expect(undone.state.revision).not.toBe(done.state.revision);
    expect(Date.parse(undone.state.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(done.state.updatedAt ?? ''));
    const again = await store.uncompleteResource({ learnerId: id, slug: 'kafka', resourceId: 'intro' });
    expect(again).toEqual({ changed: false, state: undone.state });
    expect((await store.listEvents(id)).items.map((e) => [e.type, e.source])).toEqual([
      ['uncompleted', 'lti'],
      ['completed', 'api'],
    ]);
    // The path stays started, at no completions.
    expect((await store.listStartedPaths(id)).map((p) => p.slug)).toEqual(['kafka']);
  });

  it.skipIf(skip !== null)('tells when a resource was last marked not done', async () => {
    const id = learner();
    expect(await store.lastUncompletedAt(id, 'kafka', 'intro')).toBeNull();
    await store.completeResource({ learnerId: id, slug: 'kafka', resourceId: 'intro' });
    expect(await store.lastUncompletedAt(id, 'kafka', 'intro')).toBeNull();
    const first = await store.uncompleteResource({ learnerId: id, slug: 'kafka', resourceId: 'intro' });
    const firstAt = await store.lastUncompletedAt(id, 'kafka', 'intro');
    expect(firstAt).toBe(first.state.updatedAt);
    await store.completeResource({ learnerId: id, slug: 'kafka', resourceId: 'intro' });
    const second = await store.uncompleteResource({ learnerId: id, slug: 'kafka', resourceId: 'intro' });
    expect(await store.lastUncompletedAt(id, 'kafka', 'intro')).toBe(second.state.updatedAt);
    expect(Date.parse(second.state.updatedAt!)).toBeGreaterThanOrEqual(Date.parse(firstAt!));
    // Another resource, path or learner has its own.
    expect(await store.lastUncompletedAt(id, 'kafka', 'other')).toBeNull();
    expect(await store.lastUncompletedAt(id, 'flink', 'intro')).toBeNull();
    expect(await store.lastUncompletedAt(learner(), 'kafka', 'intro')).toBeNull();
  });

  it.skipIf(skip !== null)('uncompleting something never completed creates nothing', async () => {
    const id = learner();
    expect(await store.uncompleteResource({ learnerId: id, slug: 'kafka', resourceId: 'intro' })).toEqual({
      changed: false,
      state: { completions: [], updatedAt: null, revision: null },
    });
    expect(await store.listStartedPaths(id)).toEqual([]);
    expect((await store.listEvents(id)).items).toEqual([]);
  });

  it.skipIf(skip !== null)('lists completions of one path and of all paths, and the started paths newest first', async () => {
    const id = learner();
    await store.completeResource({ learnerId: id, slug: 'alpha', resourceId: 'one', completedAt: '2026-01-01T00:00:00Z' });
    await store.completeResource({ learnerId: id, slug: 'beta', resourceId: 'two', completedAt: '2026-01-02T00:00:00Z' });
    await store.completeResource({ learnerId: id, slug: 'alpha', resourceId: 'three', completedAt: '2026-01-03T00:00:00Z' });
    expect((await store.getPathState(id, 'alpha')).completions.map((c) => c.resourceId)).toEqual(['one', 'three']);
    expect((await store.listCompletions(id)).map((c) => `${c.slug}/${c.resourceId}`)).toEqual(['alpha/one', 'alpha/three', 'beta/two']);
    const started = await store.listStartedPaths(id);
    expect(started.map((p) => p.slug)).toEqual(['alpha', 'beta']);
    expect(started[0]?.revision).toBe((await store.getPathState(id, 'alpha')).revision);
    expect(Date.parse(started[0]?.startedAt ?? '')).toBeLessThanOrEqual(Date.parse(started[0]?.updatedAt ?? ''));
  });

  it.skipIf(skip !== null)('erases a learner: everything gone, one erasure logged without the id', async () => {
    const id = learner();
    const other = learner();
    await store.completeResource({ learnerId: id, slug: 'alpha', resourceId: 'one' });
    await store.completeResource({ learnerId: other, slug: 'alpha', resourceId: 'one' });
    expect(await store.eraseLearner(id)).toEqual({ erased: true });
    expect(await store.getPathState(id, 'alpha')).toEqual({ completions: [], updatedAt: null, revision: null });
    expect(await store.listStartedPaths(id)).toEqual([]);
    expect((await store.listEvents(id)).items).toEqual([]);
    expect((await store.getPathState(other, 'alpha')).completions).toHaveLength(1);
    expect(await store.eraseLearner(id)).toEqual({ erased: false });
    // Completing again after erasure starts afresh, with a revision never used before.
    const fresh = await store.completeResource({ learnerId: id, slug: 'alpha', resourceId: 'one' });
    expect(fresh.changed).toBe(true);
    expect((await store.listEvents(id)).items).toHaveLength(1);
  });

  it.skipIf(skip !== null)('refuses invalid input with StoreInputError naming the field', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => store.completeResource({ learnerId: 'x'.repeat(201), slug: 'a', resourceId: 'b' }), 'learnerId'],
      [() => store.completeResource({ learnerId: '../etc/passwd/', slug: 'a', resourceId: 'b' }), 'learnerId'],
      [() => store.completeResource({ learnerId: '', slug: 'a', resourceId: 'b' }), 'learnerId'],
      [() => store.completeResource({ learnerId: 'ok', slug: '../a', resourceId: 'b' }), 'slug'],
      [() => store.completeResource({ learnerId: 'ok', slug: 'a', resourceId: 'B B' }), 'resourceId'],
      [() => store.completeResource({ learnerId: 'ok', slug: 'a', resourceId: 'b', completedAt: 'yesterday' }), 'completedAt'],
      [() => store.completeResource({ learnerId: 'ok', slug: 'a', resourceId: 'b', source: 'fax' as never }), 'source'],
      [() => store.listEvents('ok', { cursor: 'not-a-cursor' }), 'cursor'],
      [() => store.listEvents('ok', { cursor: Buffer.from('e:0').toString('base64url') }), 'cursor'],
    ];
    for (const [call, field] of cases) {
      const error = await call().then(() => null, (e: unknown) => e);
      expect(error, field).toBeInstanceOf(StoreInputError);
      expect((error as StoreInputError).field).toBe(field);
    }
    // The longest valid id, with every allowed character, is accepted.
    const longest = `a.b_c:d@e-${'z'.repeat(190)}`;
    expect((await store.completeResource({ learnerId: longest, slug: 'a', resourceId: 'b' })).changed).toBe(true);
  });

  it.skipIf(skip !== null)('ends 50 concurrent completes and uncompletes in the state of the last write, one event per change', async () => {
    const id = learner();
    const writes = Array.from({ length: 50 }, (_, i) =>
      i % 3 === 0 ? store.uncompleteResource({ learnerId: id, slug: 'race', resourceId: 'target' }) : store.completeResource({ learnerId: id, slug: 'race', resourceId: 'target' }),
    );
    const results = await Promise.all(writes);
    const changes = results.filter((r) => r.changed);
    const events = await store.listEvents(id, { limit: 100 });
    expect(events.items).toHaveLength(changes.length);
    // Events alternate: a change is always from the other state.
    events.items.forEach((e, i) => {
      const older = events.items[i + 1];
      if (older) expect(e.type).not.toBe(older.type);
    });
    // The last committed write (highest revision) says the final state.
    const state = await store.getPathState(id, 'race');
    const last = events.items[0];
    expect(state.revision).toBe(last?.id);
    expect(state.completions.length).toBe(last?.type === 'completed' ? 1 : 0);
    // Every write saw a consistent state: completed after a complete, not after an uncomplete.
    for (const [i, r] of results.entries()) expect(r.state.completions.length, `write ${i}`).toBe(i % 3 === 0 ? 0 : 1);
  });

  it.skipIf(skip !== null)('answers many learners writing and reading at once each with their own state, and applies one path\'s writes in call order', async () => {
    const learners = Array.from({ length: 40 }, () => learner());
    const resources = ['a', 'b', 'c', 'd', 'e'];
    // Every learner marks five resources of one path at once, and reads the path meanwhile.
    const writes = learners.flatMap((id) => resources.map((resourceId) => store.completeResource({ learnerId: id, slug: 'batch', resourceId })));
    const reads = learners.map((id) => store.getPathState(id, 'batch'));
    const written = await Promise.all(writes);
    await Promise.all(reads);
    written.forEach((result, i) => {
      const done = resources.slice(0, (i % resources.length) + 1);
      expect(result.changed).toBe(true);
      // The k-th write of a learner's path sees the k - 1 before it, and nobody else's.
      expect(result.state.completions.map((c) => c.resourceId).sort(), `write ${i}`).toEqual(done);
      expect(result.state.completions.every((c) => c.slug === 'batch')).toBe(true);
    });
    for (const id of learners) {
      const state = await store.getPathState(id, 'batch');
      expect(state.completions.map((c) => c.resourceId).sort()).toEqual(resources);
      expect((await store.listEvents(id)).items.map((e) => e.resourceId)).toEqual([...resources].reverse());
    }
    // Marking them not done, all at once, leaves each learner with nothing and logs each change.
    const undone = await Promise.all(learners.flatMap((id) => resources.map((resourceId) => store.uncompleteResource({ learnerId: id, slug: 'batch', resourceId }))));
    expect(undone.every((r) => r.changed)).toBe(true);
    for (const id of learners) expect((await store.getPathState(id, 'batch')).completions).toEqual([]);
    expect((await store.listEvents(learners[0]!)).items).toHaveLength(10);
  });

  it.skipIf(skip !== null)('reads what was written last, also after an erasure', async () => {
    const id = learner();
    await store.completeResource({ learnerId: id, slug: 'kept', resourceId: 'one' });
    expect((await store.getPathState(id, 'kept')).completions.map((c) => c.resourceId)).toEqual(['one']);
    const [, after] = await Promise.all([store.completeResource({ learnerId: id, slug: 'kept', resourceId: 'two' }), store.getPathState(id, 'kept')]);
    expect(after.completions.length).toBeGreaterThanOrEqual(1);
    expect((await store.getPathState(id, 'kept')).completions.map((c) => c.resourceId).sort()).toEqual(['one', 'two']);
    await store.eraseLearner(id);
    expect(await store.getPathState(id, 'kept')).toEqual({ completions: [], updatedAt: null, revision: null });
  });
});
