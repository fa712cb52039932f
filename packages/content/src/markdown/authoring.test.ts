import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, LearningPath } from '@learnpath/schema';
import { checkPath } from '../check-path.js';
import { parseMarkdownPath } from './parse-markdown.js';
import { renderPathDocument } from './render.js';

// Documents written the way authors write them, one fixture per case.

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/authoring/${name}`, import.meta.url), 'utf8');
const parseFixture = (name: string) => parseMarkdownPath(fixture(name), { file: name });
/** Parse and path diagnostics, as `learnpath check` reports them. */
function check(name: string): { path: LearningPath | null; diagnostics: Diagnostic[] } {
  const result = parseFixture(name);
  return { path: result.path, diagnostics: [...result.diagnostics, ...checkPath(result, name)] };
}
const at = (d: Diagnostic) => `${d.line}:${d.column} ${d.code}`;
const resources = (path: LearningPath | null) => path!.phases.flatMap((p) => p.resources);

describe('names of built-in object properties', () => {
  const { path, diagnostics } = check('inherited-names.md');

  it('"## Constructor" is an unknown section, not a silently dropped one', () => {
    const section = diagnostics.find((d) => d.line === 3);
    expect(section).toMatchObject({ code: 'LP202', severity: 'error' });
    expect(section!.message).toContain('"## Constructor"');
  });

  it('"[Constructor]" is an unknown kind, named as written', () => {
    const kinds = diagnostics.filter((d) => d.code === 'LP205');
    expect(kinds.map((d) => d.line)).toEqual([11, 14]);
    expect(kinds[0]!.message).toContain('unknown resource kind "[Constructor]"');
    expect(kinds.map((d) => d.message).join('\n')).not.toMatch(/function/);
  });

  it('"- Constructor: x" is an unknown field, and "3 constructor" an unreadable duration', () => {
    expect(diagnostics.filter((d) => d.code === 'LP207').map((d) => d.line)).toEqual([12, 15]);
    expect(diagnostics.find((d) => d.code === 'LP204')!.line).toBe(13);
    expect(resources(path).map((r) => r.durationMinutes)).toEqual([null, null]);
  });
});

describe('missing titles', () => {
  const { path, diagnostics } = check('missing-titles.md');

  it('is an error at the line and column where the title belongs, for resources, links and videos', () => {
    const missing = diagnostics.filter((d) => d.code === 'LP213');
    expect(missing.map(at)).toEqual(['8:4 LP213', '9:4 LP213', '10:4 LP213', '11:4 LP213', '15:3 LP213', '20:3 LP213', '21:3 LP213']);
    for (const d of missing) expect(d.message).toMatch(/title of the (resource|link|video) is missing/);
  });

  it('reports nothing else about those lines: no kind, duplicate-id or length errors', () => {
    expect(diagnostics.filter((d) => d.code !== 'LP213')).toEqual([]);
  });

  it('keeps the items that have a title, and only those', () => {
    expect(resources(path).map((r) => r.title)).toEqual(['Query plans']);
    expect(path!.additionalResources.map((l) => l.title)).toEqual(['Indexes explained']);
    expect(path!.supplementaryVideos).toEqual([{ title: 'Vacuum in depth', url: null, durationMinutes: 22.167, channel: 'Postgres Weekly' }]);
  });
});

describe('a phase qualifier at the end of a list', () => {
  const { path, diagnostics } = check('phase-qualifier.md');
  const [phase1, phase2] = path!.phases;
  const ids = phase1!.resources.map((r) => r.id);

  it('applies to every resource number of the list', () => {
    expect(diagnostics).toEqual([]);
    expect(phase2!.resources[0]!.dependsOn).toEqual([{ resource: ids[1] }, { resource: ids[3] }]);
    expect(phase2!.resources[1]!.dependsOn).toEqual([{ resource: ids[0] }, { resource: ids[2] }]);
    expect(phase2!.resources[2]!.dependsOn).toEqual([{ resource: ids[0] }, { resource: ids[1] }, { resource: ids[2] }]);
    expect(phase2!.resources[2]!.next).toEqual({ resource: ids[3] });
  });

  it('a qualifier on an earlier item stays with that item', () => {
    expect(phase2!.resources[3]!.dependsOn).toEqual([{ resource: ids[0] }, { resource: phase2!.resources[1]!.id }]);
  });

  it('the renderer writes such lists so that they read back the same', () => {
    const text = renderPathDocument(path!);
    expect(text).toContain('Dependencies: Complete resource 1 of Phase 1 and resource 2 of Phase 2');
    const again = parseMarkdownPath(text, { file: 'rendered.md' });
    expect(again.diagnostics).toEqual([]);
    expect(again.path).toEqual(path);
  });
});

describe('spaced hyphens inside titles', () => {
  const { path, diagnostics } = check('hyphen-titles.md');

  it('belong to the title when the line separates its parts with em or en dashes', () => {
    expect(path!.additionalResources.slice(0, 2)).toEqual([
      { title: 'Designing Data-Intensive Applications - Chapter 5', url: null, description: 'replication and its trade-offs' },
      { title: 'Flink in Action - Part 2', url: null, description: 'windowing explained' },
    ]);
    expect(path!.supplementaryVideos[0]).toEqual({ title: 'Kubernetes Crash Course - Full Tutorial', url: null, durationMinutes: 72.5, channel: 'TechWorld' });
    expect(path!.supplementaryVideos[2]).toEqual({ title: 'Raft - Visualised', url: null, durationMinutes: 14.033, channel: 'Distributed Diaries' });
  });

  it('a video line with only hyphens is read where its length is', () => {
    expect(path!.supplementaryVideos[1]).toEqual({ title: 'Git Internals - Deep Dive', url: null, durationMinutes: 48.167, channel: 'Some Channel' });
  });

  it('a genuinely ambiguous line gets a warning with both readings and how to write it', () => {
    expect(diagnostics.map(at)).toEqual(['13:3 LP214']);
    const { message, severity } = diagnostics[0]!;
    expect(severity).toBe('warning');
    expect(message).toContain('"Kafka Streams - The Guide" | "partitions and rebalancing"');
    expect(message).toContain('"Kafka Streams" | "The Guide - partitions and rebalancing"');
    expect(message).toMatch(/bold|link/);
    expect(path!.additionalResources[2]).toEqual({ title: 'Kafka Streams - The Guide', url: null, description: 'partitions and rebalancing' });
  });
});

describe('duplicate ids', () => {
  it('are reported once each, with no false dependency cycle', () => {
    const { diagnostics } = check('duplicate-title.md');
    expect(diagnostics.map(at)).toEqual(['10:4 LP103']);
  });
});

describe('an empty phase', () => {
  it('is a warning at its heading, and a checklist item naming it is fine', () => {
    const { path, diagnostics } = check('empty-phase.md');
    expect(diagnostics.map(at)).toEqual(['9:1 LP215']);
    expect(diagnostics[0]!.severity).toBe('warning');
    expect(diagnostics[0]!.message).toContain('To be written');
    expect(path!.checklist.map((c) => c.target)).toEqual([{ phase: 'start' }, { phase: 'to-be-written' }]);
    expect(path!.phases[1]).toMatchObject({ totalMinutes: 0, resourceCount: 0 });
  });
});

describe('a dependency cycle', () => {
  it('names every edge with its line and says how to break it', () => {
    const { diagnostics } = check('cycle.md');
    expect(diagnostics.map((d) => d.code)).toEqual(['LP102']);
    const { message } = diagnostics[0]!;
    expect(message).toContain('"chickens" depends on "eggs" (line 8)');
    expect(message).toContain('"eggs" depends on "chickens" (line 11)');
    expect(message).toContain('to break it, remove one of these dependencies');
  });
});

describe('suggestions for likely typos', () => {
  const { diagnostics } = check('typos.md');
  const message = (code: string) => diagnostics.find((d) => d.code === code)?.message ?? '';

  it('suggest the closest section, kind, field and reference id', () => {
    expect(message('LP202')).toContain('did you mean "## Overview"?');
    expect(message('LP205')).toContain('did you mean "[Video]"?');
    expect(message('LP207')).toContain('did you mean "Duration:"?');
    expect(message('LP101')).toContain('did you mean "window-function"?');
  });

  it('a placeholder warning names the resource it is in', () => {
    expect(message('LP210')).toContain('"Frames"');
  });
});

describe('video lengths written as mm:ss', () => {
  it('are rendered back in the same spelling', () => {
    const doc = '# Lengths\n\n## Learning Path\n\n### Phase 1: One\n\n1. **Intro** — [Video]\n   - Duration: 7:30\n\n## Supplementary Videos\n\n- Long talk — 50:13 — A Channel\n- Longer talk — 1:02:03 — A Channel\n- Short clip — 0:45 — A Channel\n';
    const { path, diagnostics } = parseMarkdownPath(doc, { file: 'lengths.md' });
    expect(diagnostics).toEqual([]);
    const text = renderPathDocument(path!);
    expect(text).toContain('- Long talk — 50:13 — A Channel');
    expect(text).toContain('- Longer talk — 1:02:03 — A Channel');
    expect(text).toContain('- Short clip — 0:45 — A Channel');
    expect(text).toContain('- Duration: 7:30');
    expect(parseMarkdownPath(text, { file: 'again.md' }).path).toEqual(path);
  });
});
