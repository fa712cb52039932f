import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCycles, topologicalOrder } from './graph.js';
import { seedPath } from './examples.js';
import type { LearningPath, Reference } from './model.js';

// Small paths with arbitrary dependencies (cycles, self-loops, repeated and unknown ids).
const ids = ['a', 'b', 'c', 'd', 'e'];
const ref = fc.oneof(
  fc.constantFrom(...ids).map((resource): Reference => ({ resource })),
  fc.constantFrom('p1', 'p2', 'p3', 'nope').map((phase): Reference => ({ phase })),
  fc.constant<Reference>({ path: 'elsewhere' }),
);
const pathArbitrary: fc.Arbitrary<LearningPath> = fc
  .array(
    fc.record({
      id: fc.constantFrom('p1', 'p2', 'p3'),
      sequential: fc.boolean(),
      dependsOn: fc.array(ref, { maxLength: 2 }),
      resources: fc.array(fc.record({ id: fc.constantFrom(...ids), dependsOn: fc.array(ref, { maxLength: 3 }) }), { maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((phases) => ({
    ...seedPath,
    phases: phases.map((phase, p) => ({
      ...phase,
      number: p + 1,
      title: phase.id,
      totalMinutes: 0,
      resourceCount: phase.resources.length,
      resources: phase.resources.map((r) => ({ ...r, title: r.id, kind: 'article' as const, url: null, durationMinutes: 5, focus: null, next: null })),
    })),
  }));

describe('findCycles', () => {
  it('finds a cycle exactly when no order respects every dependency', () => {
    fc.assert(
      fc.property(pathArbitrary, (path) => {
        const cycles = findCycles(path);
        let ordered = true;
        try {
          topologicalOrder(path);
        } catch {
          ordered = false;
        }
        expect(cycles.length === 0).toBe(ordered);
        for (const cycle of cycles) expect(cycle[0]).toBe(cycle[cycle.length - 1]);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the nodes of a cycle in order, phases as "phase id"', () => {
    const phase = seedPath.phases[0]!;
    const [first, second] = phase.resources;
    const path: LearningPath = {
      ...seedPath,
      phases: [{ ...phase, sequential: true, resources: [first!, { ...second!, dependsOn: [] }].map((r, i) => (i === 0 ? { ...r, dependsOn: [{ resource: second!.id }] } : r)) }],
    };
    expect(findCycles(path)).toEqual([[first!.id, second!.id, first!.id]]);
    expect(findCycles(seedPath)).toEqual([]);
  });
});
