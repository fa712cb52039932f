import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePath, type Diagnostic, type LearningPath } from '@learnpath/schema';
import { parseMarkdownPath } from './parse-markdown.js';

const parse = (text: string) => parseMarkdownPath(text, { file: 'doc.md' });
const errors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error');
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.line}:${d.code}`);
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/markdown/${name}`, import.meta.url), 'utf8');

/** A document with the given phases under "## Learning Path". */
function withPhases(phases: string, rest = ''): string {
  return `# A Path\n\n## Learning Path\n\n${phases}\n${rest}`;
}

function resources(path: LearningPath | null) {
  return path!.phases.flatMap((p) => p.resources);
}

describe('durations in a document', () => {
  it('reads every duration form of the format', () => {
    const forms = ['35 minutes', '45 min', '1 hour', '1.5 hours', '1 hour 15 minutes', '1h 30m', '10:42', '1:02:03'];
    const items = forms.map((d, i) => `${i + 1}. **Item ${i + 1}** — [Video]\n   - Duration: ${d}`).join('\n');
    const result = parse(withPhases(`### Phase 1: All\n\n${items}`));
    expect(result.diagnostics).toEqual([]);
    expect(resources(result.path).map((r) => r.durationMinutes)).toEqual([35, 45, 60, 90, 75, 90, 10.7, 62.05]);
  });

  it('reports an unreadable duration at its line and keeps going', () => {
    const result = parseMarkdownPath(fixture('unreadable-duration.md'), { file: 'unreadable-duration.md' });
    expect(codes(result.diagnostics)).toEqual(['11:LP204']);
    expect(result.diagnostics[0]).toMatchObject({ file: 'unreadable-duration.md', column: 16, severity: 'error' });
    expect(result.diagnostics[0]!.message).toContain('a long afternoon');
    expect(result.diagnostics[0]!.message).toContain('35 minutes');
    expect(resources(result.path).map((r) => r.durationMinutes)).toEqual([10, null]);
  });
});

describe('next steps and dependencies', () => {
  const doc = withPhases(
    [
      '### Phase 1: Basics',
      '',
      '1. **Batch Processing** — [Article]',
      '   - Next step: Move to resource 2',
      '2. **Stream Processing** — [Article]',
      '   - Dependencies: Complete resource 1',
      '   - Next step: Move to Phase 2',
      '',
      '### Phase 2: More',
      '',
      'Dependencies: Complete Phase 1',
      '',
      '1. **Comparison** — [Article]',
      '   - Dependencies: Complete Phase 1 and resource 2 of Phase 1',
      '2. **Selection** — [Article]',
      '   - Dependencies: Complete Phase 1, Phase 2 and resource 3',
      '3. **Implementation** — [Article]',
      '   - Dependencies: Complete Batch Processing, resource `comparison` and path `other-path`',
      '   - Next step: Move to [Other Path](other-path.md)',
      '4. **Wrap Up** — [Article]',
      '   - Dependencies: Complete Phases 1 and 2',
      '   - Next step: Move to resource 1 of Phase 1',
      '5. **Extra** — [Article]',
      '   - Dependencies: None',
      '   - Next step: Continue with *Comparison*',
    ].join('\n'),
  );
  const result = parse(doc);
  const [batch, stream, comparison, selection, implementation, wrapUp, extra] = resources(result.path);

  it('reads every phrase without errors', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('counts "resource N" within the same phase', () => {
    expect(batch!.next).toEqual({ resource: 'stream-processing' });
    expect(stream!.dependsOn).toEqual([{ resource: 'batch-processing' }]);
    expect(selection!.dependsOn).toEqual([{ phase: 'basics' }, { phase: 'more' }, { resource: 'implementation' }]);
  });

  it('names phases by number, alone or in a list', () => {
    expect(stream!.next).toEqual({ phase: 'more' });
    expect(result.path!.phases[1]!.dependsOn).toEqual([{ phase: 'basics' }]);
    expect(wrapUp!.dependsOn).toEqual([{ phase: 'basics' }, { phase: 'more' }]);
  });

  it('names resources of other phases, by id and by title, and other paths', () => {
    expect(comparison!.dependsOn).toEqual([{ phase: 'basics' }, { resource: 'stream-processing' }]);
    expect(implementation!.dependsOn).toEqual([{ resource: 'batch-processing' }, { resource: 'comparison' }, { path: 'other-path' }]);
    expect(implementation!.next).toEqual({ path: 'other-path' });
    expect(wrapUp!.next).toEqual({ resource: 'batch-processing' });
    expect(extra!.dependsOn).toEqual([]);
    expect(extra!.next).toEqual({ resource: 'comparison' });
  });

  it('reports numbers that name nothing: LP101 for dependencies, LP104 for next steps', () => {
    const bad = parse(
      withPhases(
        ['### Phase 1: Basics', '', '1. **One** — [Article]', '   - Dependencies: Complete resource 3', '   - Next step: Move to Phase 4', '2. **Two** — [Article]', '   - Dependencies: Complete Phase 1 and Phase 7'].join('\n'),
      ),
    );
    expect(codes(bad.diagnostics)).toEqual(['8:LP101', '9:LP104', '11:LP101']);
    expect(bad.diagnostics[0]!.message).toContain('resource 3');
    expect(bad.diagnostics[2]!.message).toContain('Phase 7');
    // What could be read is kept.
    expect(resources(bad.path)[1]!.dependsOn).toEqual([{ phase: 'basics' }]);
  });

  it('reports phrases it cannot read as LP206 at their line', () => {
    const bad = parse(
      withPhases(['### Phase 1: Basics', '', '1. **One** — [Article]', '   - Dependencies: whenever you feel ready', '   - Next step: Move to resource 1 and Phase 1'].join('\n')),
    );
    expect(codes(bad.diagnostics)).toEqual(['8:LP206', '9:LP206']);
    expect(bad.diagnostics[0]!.message).toContain('expected e.g. "Phase 2"');
  });
});

describe('links, videos and the checklist', () => {
  const result = parse(
    withPhases(
      '### Phase 1: Basics\n\n### Phase 2: More\n',
      [
        '## Additional Resources',
        '',
        '- [Kafka Docs](https://kafka.apache.org/documentation/) — The *official* reference',
        '- Designing Data-Intensive Applications — A book by Martin Kleppmann',
        '- **Batch — Stream** — dashes in a bold title',
        '- Just a title',
        '',
        '## Supplementary Videos',
        '',
        '- [Streams 101](https://example.com/v) — 10:42 — Confluent',
        '- Intro — 1:02:03',
        '- Talk — Some Channel',
        '- Unknown length — soon — Channel',
        '',
        '## Completion Checklist',
        '',
        '- [ ] Phase 1 completed',
        '- [x] Phase 2 completed',
        '- [X] Supplementary videos watched',
        '- [ ] Tell a friend',
        '- [ ] Read everything',
        '  - Target: Phase 2',
        '- [ ] Phase 9 done',
      ].join('\n'),
    ),
  );

  it('reads links with and without URLs, keeping the description as Markdown', () => {
    expect(result.path!.additionalResources).toEqual([
      { title: 'Kafka Docs', url: 'https://kafka.apache.org/documentation/', description: 'The *official* reference' },
      { title: 'Designing Data-Intensive Applications', url: null, description: 'A book by Martin Kleppmann' },
      { title: 'Batch — Stream', url: null, description: 'dashes in a bold title' },
      { title: 'Just a title', url: null, description: null },
    ]);
  });

  it('reads video lengths in mm:ss and h:mm:ss and the channel', () => {
    expect(result.path!.supplementaryVideos).toEqual([
      { title: 'Streams 101', url: 'https://example.com/v', durationMinutes: 10.7, channel: 'Confluent' },
      { title: 'Intro', url: null, durationMinutes: 62.05, channel: null },
      { title: 'Talk', url: null, durationMinutes: null, channel: 'Some Channel' },
      { title: 'Unknown length', url: null, durationMinutes: null, channel: 'Channel' },
    ]);
  });

  it('reads [ ] and [x] and the target of each task', () => {
    expect(result.path!.checklist).toEqual([
      { label: 'Phase 1 completed', target: { phase: 'basics' }, checked: false },
      { label: 'Phase 2 completed', target: { phase: 'more' }, checked: true },
      { label: 'Supplementary videos watched', target: 'supplementary', checked: true },
      { label: 'Tell a friend', target: null, checked: false },
      { label: 'Read everything', target: { phase: 'more' }, checked: false },
      { label: 'Phase 9 done', target: null, checked: false },
    ]);
  });

  it('reports an unreadable video length and a task naming a missing phase', () => {
    expect(errors(result.diagnostics).map((d) => [d.line, d.code])).toEqual([
      [21, 'LP204'],
      [31, 'LP107'],
    ]);
  });
});

describe('resource titles, kinds and fields', () => {
  it('reads linked titles in every form and the URL bullet', () => {
    const result = parse(
      withPhases(
        [
          '### Phase 1: Basics',
          '',
          '1. **[Bold Link](https://example.com/a)** — [Article]',
          '2. [**Link Bold**](https://example.com/b) – [video]',
          '3. [Plain Link](https://example.com/c) - [Docs]',
          '4. **Bullet Url** — [Course]',
          '   - URL: https://example.com/d',
          '5. **Autolink** — [Book]',
          '   - url: <https://example.com/e>',
          '6. **Custom** — [Project]',
          '   - Id: `my-own-id`',
          '   - **Focus:** the *important* part',
        ].join('\n'),
      ),
    );
    expect(result.diagnostics).toEqual([]);
    expect(resources(result.path).map((r) => [r.id, r.title, r.kind, r.url])).toEqual([
      ['bold-link', 'Bold Link', 'article', 'https://example.com/a'],
      ['link-bold', 'Link Bold', 'video', 'https://example.com/b'],
      ['plain-link', 'Plain Link', 'documentation', 'https://example.com/c'],
      ['bullet-url', 'Bullet Url', 'course', 'https://example.com/d'],
      ['autolink', 'Autolink', 'book', 'https://example.com/e'],
      ['my-own-id', 'Custom', 'project', null],
    ]);
    expect(resources(result.path)[5]!.focus).toBe('the *important* part');
  });

  it('reports unknown kinds, missing kinds, unknown fields, duplicate fields and bad URLs', () => {
    const result = parse(
      withPhases(
        [
          '### Phase 1: Basics', // 5
          '',
          '1. **Karaoke** — [Singalong]', // 7
          '2. **No Kind**', // 8
          '3. **Fields** — [Article]', // 9
          '   - Colour: blue', // 10
          '   - Duration: 5 minutes', // 11
          '   - Duration: 6 minutes', // 12
          '   - URL: ftp://example.com', // 13
          '   - just text', // 14
          '4. **[Twice](https://example.com)** — [Article]', // 15
          '   - URL: https://example.com/other', // 16
        ].join('\n'),
      ),
    );
    expect(codes(result.diagnostics)).toEqual(['7:LP205', '8:LP205', '10:LP207', '12:LP211', '13:LP208', '14:LP203', '16:LP211']);
    expect(result.diagnostics[0]!.column).toBe('1. **Karaoke** — '.length + 1);
    expect(result.diagnostics[0]!.message).toContain('[Article]');
    expect(resources(result.path).map((r) => r.kind)).toEqual(['other', 'other', 'article', 'article']);
    expect(resources(result.path)[2]!.durationMinutes).toBe(5);
  });

  it('warns on template placeholders in fields and leaves them unset', () => {
    const result = parse(withPhases(['### Phase 1: Basics', '', '1. **T** — [Article]', '   - Duration: [Duration]', '   - Focus: [What to focus on]'].join('\n')));
    expect(result.diagnostics.map((d) => [d.line, d.severity, d.code])).toEqual([
      [8, 'warning', 'LP210'],
      [9, 'warning', 'LP210'],
    ]);
    expect(resources(result.path)[0]).toMatchObject({ durationMinutes: null, focus: null });
  });
});

describe('document structure', () => {
  it('reports a missing title with LP201 and gives no path, but still reads the rest', () => {
    const result = parseMarkdownPath(fixture('missing-title.md'), { file: 'missing-title.md' });
    expect(result.path).toBeNull();
    expect(codes(result.diagnostics)).toEqual(['1:LP201']);
    expect(codes(parse('').diagnostics)).toEqual(['1:LP201']);
  });

  it('reports an unknown kind fixture at its line', () => {
    const result = parseMarkdownPath(fixture('unknown-kind.md'), { file: 'unknown-kind.md' });
    expect(codes(result.diagnostics)).toEqual(['10:LP205']);
    expect(result.diagnostics[0]!.message).toContain('Karaoke');
  });

  it('reports unknown sections, stray content and unreadable phase headings, collecting them all', () => {
    const result = parse(
      [
        '# Title', // 1
        '', // 2
        'Stray paragraph.', // 3
        '', // 4
        '## Overview', // 5
        '', // 6
        'Text with a [link](https://example.com).', // 7
        '', // 8
        '- and a list', // 9
        '', // 10
        '## Glossary', // 11
        '', // 12
        'Ignored but reported above.', // 13
        '', // 14
        '## Learning Path', // 15
        '', // 16
        'Before any phase.', // 17
        '', // 18
        '### Basics', // 19
        '', // 20
        '### Phase 3: Numbered Wrong', // 21
        '', // 22
        '#### Too Deep', // 23
        '', // 24
        '## Overview', // 25
        '', // 26
        '# Second Title', // 27
      ].join('\n'),
    );
    expect(codes(result.diagnostics)).toEqual(['3:LP203', '11:LP202', '17:LP203', '19:LP212', '21:LP212', '23:LP203', '19:LP215', '21:LP215', '25:LP211', '27:LP203']);
    expect(result.diagnostics[1]!.message).toContain('Overview, Prerequisites, Learning Path');
    expect(result.path!.overview).toBe('Text with a [link](https://example.com).\n\n- and a list');
    expect(result.path!.phases.map((p) => [p.id, p.title])).toEqual([
      ['basics', 'Basics'],
      ['numbered-wrong', 'Numbered Wrong'],
    ]);
  });

  it('reads prerequisites as a paragraph or a list, with links to other paths', () => {
    const result = parse(
      [
        '# Title',
        '',
        '## Prerequisites',
        '',
        '- Basic SQL',
        '- Complete [Batch vs Stream](batch-vs-stream-processing.md) first',
        '- Know the data lake basics',
        '  - Path: `data-lake-basics`',
        '- See [the spec](https://example.com/spec.md)',
      ].join('\n'),
    );
    expect(result.diagnostics.filter((d) => d.code !== 'LP209')).toEqual([]);
    expect(result.path!.prerequisites).toEqual([
      { text: 'Basic SQL', path: null },
      { text: 'Complete [Batch vs Stream](batch-vs-stream-processing.md) first', path: 'batch-vs-stream-processing' },
      { text: 'Know the data lake basics', path: 'data-lake-basics' },
      { text: 'See [the spec](https://example.com/spec.md)', path: null },
    ]);
  });

  it('reads front matter: slug, level, tags and phase ids', () => {
    const result = parse(
      ['---', 'slug: my-path', 'level: intermediate', 'tags: [streaming, kafka]', 'phases: {2: deep}', '---', '# Title', '', '## Learning Path', '', '### Phase 1: Basics', '', '### Phase 2: Deep Dive'].join('\n'),
    );
    // Both phases are empty (LP215, a warning); front matter raises nothing.
    expect(result.diagnostics.filter((d) => d.code !== 'LP215')).toEqual([]);
    expect(result.path).toMatchObject({ slug: 'my-path', level: 'intermediate', tags: ['streaming', 'kafka'] });
    expect(result.path!.phases.map((p) => p.id)).toEqual(['basics', 'deep']);
    expect(result.locate(['phases', 1, 'id'])).toEqual({ line: 5, column: 13 });
    expect(result.locate(['title']).line).toBe(7);
  });

  it('reports front matter problems at their lines', () => {
    const result = parse(['---', 'slug: Not A Slug', 'level: expert', 'tags: [ok, Not Ok]', 'colour: blue', 'phases: [a, b]', '---', '# Title', '', '## Learning Path', '', '### Phase 1: Only'].join('\n'));
    expect(codes(result.diagnostics.filter((d) => d.code !== 'LP215'))).toEqual(['2:LP004', '3:LP004', '4:LP004', '5:LP207', '6:LP004']);
    expect(result.diagnostics[0]!.message).toContain('not-a-slug');
    expect(codes(parse('---\nslug: [unclosed\n---\n# T').diagnostics)[0]).toMatch(/^\d+:LP003$/);
    expect(codes(parse('---\nslug: x\n# T').diagnostics)[0]).toBe('1:LP003');
  });

  it('reports values beyond the schema limits at their line and still compiles the path', () => {
    const longTitle = 'x'.repeat(600);
    const result = parse(withPhases(`### Phase 1: Basics\n\n1. **Fine** — [Article]\n2. **${longTitle}** — [Article]\n   - Focus: ${'y'.repeat(2100)}`));
    expect(codes(result.diagnostics)).toEqual(['8:LP004', '9:LP004']);
    expect(result.diagnostics[0]!.message).toContain('phases[0].resources[1].title');
    expect(resources(result.path).map((r) => [r.title.length, r.focus?.length ?? null])).toEqual([
      [4, null],
      [500, 2000],
    ]);
  });

  it('uses the fallback slug when the document sets none', () => {
    expect(parseMarkdownPath('# Some Title', { file: 'x.md', fallbackSlug: 'file-name' }).path!.slug).toBe('file-name');
    expect(parseMarkdownPath('# Some Title', { file: 'x.md' }).path!.slug).toBe('some-title');
  });
});

describe('problems found by validatePath, located in the document', () => {
  function located(name: string) {
    const result = parseMarkdownPath(fixture(name), { file: name });
    expect(errors(result.diagnostics)).toEqual([]);
    return validatePath(result.path!).map((issue) => ({ code: issue.code, ...result.locate(issue.at) }));
  }

  it('points an unknown reference at its Dependencies line', () => {
    expect(located('unknown-reference.md')).toEqual([{ code: 'LP101', line: 12, column: 20 }]);
  });

  it('points a duplicate id at the second resource', () => {
    expect(located('duplicate-id.md')).toEqual([{ code: 'LP103', line: 12, column: 4 }]);
  });

  it('points a dependency cycle at the first resource in it', () => {
    expect(located('dependency-cycle.md')).toEqual([{ code: 'LP102', line: 9, column: 20 }]);
  });
});
