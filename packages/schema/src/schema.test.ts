import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DependencyCycleError,
  LearningPathSchema,
  MAX_MINUTES,
  buildPathGraph,
  compilePath,
  effectiveNext,
  findCycles,
  evaluateProgress,
  longestChain,
  slugify,
  topologicalOrder,
  unknownResourceIds,
  validatePath,
  type LearningPathDocument,
} from './index.js';
import { seedDocument, seedPath } from './examples.js';
import { slugOfText } from './slug.js';

describe('compilePath', () => {
  it('derives ids, numbers and totals', () => {
    expect(seedPath.phases.map((p) => p.id)).toEqual(['foundations', 'core-concepts', 'advanced-topics']);
    expect(seedPath.phases.map((p) => p.number)).toEqual([1, 2, 3]);
    expect(seedPath.phases.map((p) => p.totalMinutes)).toEqual([75, 95, 65]);
    expect(seedPath.totalMinutes).toBe(235);
    expect(seedPath.resourceCount).toBe(7);
    expect(seedPath.phases[0]!.resources[0]!.id).toBe('batch-processing');
    expect(LearningPathSchema.parse(seedPath)).toEqual(seedPath);
  });

  it('takes the slug from the document, else from the fallback (made a slug when it is not one), else from the title', () => {
    expect(compilePath({ title: 'Title Here', slug: 'own' }, 'fallback').slug).toBe('own');
    expect(compilePath({ title: 'Title Here' }, 'fallback').slug).toBe('fallback');
    expect(compilePath({ title: 'Title Here' }, 'Not A Slug.md').slug).toBe('not-a-slug-md');
    expect(compilePath({ title: 'Title Here' }, '').slug).toBe('title-here');
    expect(compilePath({ title: 'Title Here' }).slug).toBe('title-here');
  });

  it('rejects unknown fields instead of dropping them', () => {
    expect(() => compilePath({ ...seedDocument, colour: 'red' } as LearningPathDocument)).toThrow();
  });

  it('rejects non-http URLs', () => {
    const doc: LearningPathDocument = { title: 'X', phases: [{ title: 'P', resources: [{ title: 'R', url: 'javascript:alert(1)' }] }] };
    expect(() => compilePath(doc)).toThrow();
  });
});

describe('slugify', () => {
  it('makes stable ascii slugs', () => {
    expect(slugify('Batch Processing')).toBe('batch-processing');
    expect(slugify('  Café & Crème! ')).toBe('cafe-and-creme');
    expect(slugify('数据')).toMatch(/^item-[a-z0-9]+$/);
    expect(slugify('数据')).toBe(slugify('数据'));
  });

  it('reads ASCII titles in one pass exactly as the general rules do', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'aZ09 -_&.:!é\t'.split(''), 'Phase', '--'), maxLength: 120 });
    fc.assert(
      fc.property(ascii, (title) => {
        expect(slugify(title)).toBe(slugOfText(title));
      }),
      { numRuns: 2000 },
    );
    expect(slugify(`${'ab '.repeat(30)}c`)).toBe(slugOfText(`${'ab '.repeat(30)}c`));
    expect(slugify('--- ---')).toMatch(/^item-/);
  });
});

describe('validatePath', () => {
  it('accepts the seed', () => {
    expect(validatePath(seedPath)).toEqual([]);
  });

  it('reports unknown references, duplicate ids and next steps', () => {
    const path = compilePath({
      title: 'Broken',
      phases: [
        { title: 'A', resources: [{ title: 'One', dependsOn: [{ resource: 'nope' }], next: { phase: 'missing' } }, { title: 'One' }] },
        { title: 'B', dependsOn: [{ phase: 'ghost' }] },
      ],
      checklist: [{ label: 'x', target: { phase: 'zzz' }, checked: false }],
    });
    const codes = validatePath(path).map((i) => [i.code, i.at.join('.')]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['LP103', 'phases.0.resources.1.id'],
        ['LP101', 'phases.0.resources.0.dependsOn.0'],
        ['LP104', 'phases.0.resources.0.next'],
        ['LP101', 'phases.1.dependsOn.0'],
        ['LP107', 'checklist.0'],
      ]),
    );
  });

  it('names the cycle', () => {
    const path = compilePath({
      title: 'Cyclic',
      phases: [
        { title: 'A', resources: [{ title: 'One', dependsOn: [{ resource: 'three' }] }, { title: 'Two', dependsOn: [{ resource: 'one' }] }] },
        { title: 'B', resources: [{ title: 'Three', dependsOn: [{ resource: 'two' }] }] },
      ],
    });
    const cycles = validatePath(path).filter((i) => i.code === 'LP102');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.message).toBe(
      'dependency cycle: one → two → three → one: "two" depends on "one"; "three" depends on "two"; "one" depends on "three"; to break it, remove one of these dependencies',
    );
    expect(cycles[0]!.edges!.map((e) => e.at)).toEqual([
      ['phases', 0, 'resources', 1, 'dependsOn', 0],
      ['phases', 1, 'resources', 0, 'dependsOn', 0],
      ['phases', 0, 'resources', 0, 'dependsOn', 0],
    ]);
    expect(() => topologicalOrder(path)).toThrow(DependencyCycleError);
  });

  it('finds a resource that depends on its own phase', () => {
    const path = compilePath({ title: 'Self', phases: [{ title: 'A', resources: [{ title: 'One', dependsOn: [{ phase: 'a' }] }] }] });
    expect(validatePath(path).map((i) => i.message)).toContain(
      'dependency cycle: one → phase a → one: phase "a" is complete only when its resource "one" is; "one" depends on phase a; to break it, remove one of these dependencies',
    );
  });

  it('finds cycles between phases, even empty ones', () => {
    const path = compilePath({ title: 'P', phases: [{ title: 'A', dependsOn: [{ phase: 'b' }] }, { title: 'B', dependsOn: [{ phase: 'a' }] }] });
    expect(validatePath(path).filter((i) => i.code === 'LP102')).toHaveLength(1);
  });

  it('refuses totals beyond the schema limit that durations within it add up to', () => {
    const resource = (title: string, minutes: number) => ({ title, durationMinutes: minutes });
    // Each duration is within the limit; the first phase's total is not.
    const phaseOver = compilePath({ title: 'P', phases: [{ title: 'A', resources: [resource('One', MAX_MINUTES), resource('Two', 1)] }] });
    expect(LearningPathSchema.safeParse(phaseOver).success).toBe(false);
    expect(validatePath(phaseOver)).toEqual([
      { code: 'LP004', severity: 'error', at: ['phases', 0, 'totalMinutes'], message: 'the durations of phase "a" add up to 1,000,001 minutes, more than the 1,000,000 a phase or a path can total: check for a duration in the wrong unit' },
    ]);
    // Every phase within the limit, the path beyond it.
    const pathOver = compilePath({ title: 'P', phases: [{ title: 'A', resources: [resource('One', 600_000)] }, { title: 'B', resources: [resource('Two', 600_000)] }] });
    expect(validatePath(pathOver).map((i) => [i.code, i.at.join('.'), i.message.slice(0, 50)])).toEqual([['LP004', 'totalMinutes', 'the durations of the path add up to 1,200,000 minu']]);
    // At the limit exactly, all is well.
    const atLimit = compilePath({ title: 'P', phases: [{ title: 'A', resources: [resource('One', 400_000)] }, { title: 'B', resources: [resource('Two', 600_000)] }] });
    expect(validatePath(atLimit)).toEqual([]);
    expect(LearningPathSchema.safeParse(atLimit).success).toBe(true);
  });
});

describe('graph', () => {
  it('orders the seed topologically and finds the longest chain', () => {
    expect(topologicalOrder(seedPath)).toEqual([
      'batch-processing',
      'stream-processing',
      'processing-comparison',
      'use-case-selection',
      'processing-implementation',
      'hybrid-processing',
      'processing-optimization',
    ]);
    expect(longestChain(seedPath)).toEqual({
      minutes: 170,
      resourceIds: ['batch-processing', 'stream-processing', 'processing-comparison', 'use-case-selection', 'processing-implementation'],
    });
  });

  it('puts dependencies before what depends on them even against document order', () => {
    const path = compilePath({ title: 'P', phases: [{ title: 'A', resources: [{ title: 'One', dependsOn: [{ resource: 'two' }] }, { title: 'Two' }] }] });
    expect(topologicalOrder(path)).toEqual(['two', 'one']);
  });

  it('applies next defaults', () => {
    expect(effectiveNext(seedPath, 'batch-processing')).toEqual({ resource: 'stream-processing' });
    expect(effectiveNext(seedPath, 'stream-processing')).toEqual({ phase: 'core-concepts' });
    expect(effectiveNext(seedPath, 'use-case-selection')).toEqual({ resource: 'processing-implementation' });
    expect(effectiveNext(seedPath, 'processing-implementation')).toEqual({ phase: 'advanced-topics' });
    expect(effectiveNext(seedPath, 'processing-optimization')).toBeNull();
  });

  it('builds the served graph', () => {
    const graph = buildPathGraph(seedPath);
    expect(graph.nodes).toHaveLength(7);
    expect(graph.edges).toContainEqual({ from: { phase: 'foundations' }, to: { resource: 'processing-comparison' }, type: 'dependency' });
    expect(graph.edges.filter((e) => e.type === 'sequence')).toHaveLength(4);
  });

  it('handles long chains without recursion limits', () => {
    const phases = Array.from({ length: 20 }, (_, p) => ({
      title: `Phase ${p}`,
      sequential: true,
      dependsOn: p > 0 ? [{ phase: `phase-${p - 1}` }] : [],
      resources: Array.from({ length: 1000 }, (_, i) => ({ title: `R ${p} ${i}`, durationMinutes: 1 })),
    }));
    const path = compilePath({ title: 'Long', phases });
    expect(topologicalOrder(path)).toHaveLength(20_000);
    expect(longestChain(path).minutes).toBe(20_000);
    expect(validatePath(path)).toEqual([]);
  });

  it('names a cycle through every node of the largest path the model allows', () => {
    // 200 phases of 1,000 resources, each phase after the one before and the first after the last.
    const phases = Array.from({ length: 200 }, (_, p) => ({
      id: `p${p}`,
      number: p + 1,
      title: `P${p}`,
      sequential: true,
      dependsOn: [{ phase: `p${(p + 199) % 200}` }],
      resources: Array.from({ length: 1000 }, (_, i) => ({ id: `r${p}-${i}`, title: `R${p}-${i}`, kind: 'article' as const, url: null, durationMinutes: 1, focus: null, dependsOn: [], next: null })),
      totalMinutes: 1000,
      resourceCount: 1000,
    }));
    const path = { ...compilePath({ title: 'Circle' }), phases };
    const [cycle, ...others] = findCycles(path);
    expect(others).toEqual([]);
    expect(cycle![0]).toBe('r0-0');
    expect(cycle!.at(-1)).toBe('r0-0');
    expect(() => topologicalOrder(path)).toThrow(DependencyCycleError);
  });
});

describe('evaluateProgress', () => {
  it('unlocks the next resource of a sequential phase', () => {
    const report = evaluateProgress(seedPath, ['batch-processing']);
    const state = Object.fromEntries(report.resources.map((r) => [r.id, r.state]));
    expect(state['batch-processing']).toBe('completed');
    expect(state['stream-processing']).toBe('available');
    expect(state['processing-comparison']).toBe('locked');
    expect(state['hybrid-processing']).toBe('available');
    expect(report.next).toEqual({ id: 'stream-processing', title: 'Stream Processing', phaseId: 'foundations' });
    expect(report.completedMinutes).toBe(35);
    expect(report.remainingMinutes).toBe(200);
    expect(report.percent).toBe(14);
    expect(report.phases[0]).toEqual({ id: 'foundations', percent: 50, state: 'in-progress', remainingMinutes: 40 });
    expect(report.phases[1]!.state).toBe('locked');
  });

  it('unlocks a phase dependency and checks checklist items of completed phases', () => {
    const report = evaluateProgress(seedPath, ['batch-processing', 'stream-processing']);
    expect(report.resources.find((r) => r.id === 'processing-comparison')!.state).toBe('available');
    expect(report.checklist.map((c) => c.checked)).toEqual([true, false, false, false]);
    expect(report.phases[0]!.state).toBe('completed');
  });

  it('reports everything done', () => {
    const all = seedPath.phases.flatMap((p) => p.resources.map((r) => r.id));
    const report = evaluateProgress(seedPath, all);
    expect(report.percent).toBe(100);
    expect(report.next).toBeNull();
    expect(report.remainingMinutes).toBe(0);
  });

  it('enforces path dependencies only when completed paths are given', () => {
    const path = compilePath({ title: 'P', phases: [{ title: 'A', dependsOn: [{ path: 'other' }], resources: [{ title: 'One' }] }] });
    expect(evaluateProgress(path, []).resources[0]!.state).toBe('available');
    expect(evaluateProgress(path, [], { completedPaths: [] }).resources[0]!.state).toBe('locked');
    expect(evaluateProgress(path, [], { completedPaths: ['other'] }).resources[0]!.state).toBe('available');
  });

  it('names unknown ids', () => {
    expect(unknownResourceIds(seedPath, ['batch-processing', 'nope', 'nope'])).toEqual(['nope']);
  });
});
