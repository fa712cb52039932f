import { describe, expect, it } from 'vitest';
import { compilePath } from '@learnpath/schema';
import { parseMarkdownPath } from './parse-markdown.js';
import { renderPathDocument } from './render.js';

const path = compilePath({
  slug: 'custom-slug',
  title: 'Streams *and* [Tables]',
  level: 'advanced',
  tags: ['streaming'],
  prerequisites: [
    { text: 'Know SQL', path: 'sql-basics' },
    { text: 'Read [the intro](intro.md)', path: null },
  ],
  phases: [
    {
      id: 'start',
      title: 'Getting Started',
      sequential: false,
      resources: [
        { id: 'r1', title: 'What is a stream?', kind: 'video', url: 'https://example.com/a b', durationMinutes: 10.7 },
        { title: '1. Numbered — and dashed', kind: 'article', durationMinutes: 75, dependsOn: [{ resource: 'r1' }], next: { path: 'other-path' } },
      ],
    },
    {
      title: 'Deeper',
      dependsOn: [{ phase: 'start' }],
      resources: [{ title: 'Joins', kind: 'tutorial', dependsOn: [{ resource: 'r1' }, { phase: 'start' }], next: { resource: '1-numbered-and-dashed' } }],
    },
  ],
  additionalResources: [{ title: 'A — B', url: null, description: 'dash in the title' }],
  supplementaryVideos: [{ title: 'Talk', url: null, durationMinutes: null, channel: '10:42' }],
  checklist: [
    { label: 'All done', target: { phase: 'deeper' }, checked: true },
    { label: 'Phase 1 completed', target: null, checked: false },
  ],
  notes: '',
});

describe('renderPathDocument', () => {
  const text = renderPathDocument(path);

  it('writes front matter for what the text cannot carry: slug, level, tags, phase ids', () => {
    expect(text.startsWith('---\nslug: custom-slug\nlevel: advanced\ntags:\n  - streaming\nphases:\n  1: start\n---\n\n# Streams \\*and\\* \\[Tables\\]\n')).toBe(true);
  });

  it('writes explicit resource ids, references as phrases, and explicit targets and paths', () => {
    // Link syntax would percent-encode the space: the URL goes verbatim into a bullet.
    expect(text).toContain('1. **What is a stream?** — [Video]\n   - Id: `r1`\n   - URL: `https://example.com/a b`\n   - Duration: 10:42');
    expect(text).toContain('2. **1\\. Numbered — and dashed** — [Article]\n   - Duration: 1 hour 15 minutes\n   - Dependencies: Complete resource 1\n   - Next step: Move to path `other-path`');
    expect(text).toContain('Dependencies: Complete Phase 1\n');
    expect(text).toContain('   - Dependencies: Complete resource 1 of Phase 1 and Phase 1\n   - Next step: Move to resource 2 of Phase 1');
    expect(text).toContain('- Know SQL\n  - Path: `sql-basics`\n- Read [the intro](intro.md)\n  - Path: none');
    expect(text).toContain('- [x] All done\n  - Target: Phase 2\n- [ ] Phase 1 completed\n  - Target: none');
    expect(text).toContain('- **A — B** — dash in the title');
    expect(text).toContain('- Talk — [Duration] — 10:42');
    expect(text.endsWith('## Notes\n')).toBe(true);
  });

  it('reads back to the same path', () => {
    const result = parseMarkdownPath(text, { file: 'custom.md' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.path).toEqual(path);
  });
});

describe('field bullets that lost their indentation', () => {
  it('are reported as not nested under their resource', () => {
    const items = Array.from({ length: 10 }, (_, i) => `${i + 1}. **R${i + 1}** — [Article]\n   - Duration: 5 minutes\n`).join('\n');
    const result = parseMarkdownPath(`# T\n\n## Learning Path\n\n### Phase 1: P\n\n${items}`, { file: 'x.md' });
    // "10. " needs four spaces of indentation; three make a list of their own.
    expect(result.diagnostics.map((d) => [d.line, d.code])).toEqual([[35, 'LP203']]);
    expect(result.diagnostics[0]!.message).toContain('not nested under the resource "R10"');
    expect(result.path!.phases[0]!.resources).toHaveLength(10);
  });
});
