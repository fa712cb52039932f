import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPath, parseJsonPath, parsePathDocument, parseYamlPath } from '../src/index.js';

const yaml = `# yaml-language-server: $schema=../schemas/learning-path.schema.json
title: Kafka Basics
tags: [kafka]
phases:
  - title: Foundations
    sequential: true
    resources:
      - title: Intro
        kind: article
        url: https://kafka.apache.org/intro
        durationMinutes: 20
      - title: Quickstart
        kind: tutorial
        durationMinutes: 30
        dependsOn:
          - resource: intro
checklist:
  - label: Phase 1 completed
    target: { phase: foundations }
    checked: true
`;

const summary = (ds: { line: number; column: number; code: string }[]): string[] => ds.map((d) => `${d.line}:${d.column} ${d.code}`);

const json = JSON.stringify(
  { $schema: '../schemas/learning-path.schema.json', title: 'T', phases: [{ title: 'P', resources: [{ title: 'R', durationMinutes: 5, dependsOn: [{ resource: 'nope' }] }] }] },
  null,
  2,
);

describe('parseYamlPath', () => {
  it('compiles a valid document with derived fields and no diagnostics', () => {
    const result = parseYamlPath(yaml, { file: 'kafka.yaml', fallbackSlug: 'kafka' });
    expect(result.diagnostics).toEqual([]);
    expect(result.path?.slug).toBe('kafka');
    expect(result.path?.totalMinutes).toBe(50);
    expect(result.path?.phases[0]?.resources.map((r) => r.id)).toEqual(['intro', 'quickstart']);
    expect(checkPath(result, 'kafka.yaml')).toEqual([]);
  });

  it('places every schema violation at its line and column, naming the field and what was expected', () => {
    const bad = yaml
      .replace('kind: article', 'kind: blog')
      .replace('durationMinutes: 30', 'durationMinutes: "30 minutes"')
      .replace('tags: [kafka]', 'tags: [kafka]\ncolour: blue')
      .replace('target: { phase: foundations }', 'target: somewhere');
    const { path, diagnostics } = parseYamlPath(bad, { file: 'kafka.yaml' });
    expect(path).toBeNull();
    const byCode = diagnostics.map((d) => [d.line, d.column, d.code, d.message]);
    expect(byCode).toContainEqual([4, 9, 'LP004', 'colour: unknown field "colour"']);
    expect(byCode).toContainEqual([10, 15, 'LP004', expect.stringMatching(/^phases\[0\]\.resources\[0\]\.kind: expected one of "article", .* \(got "blog"\); write kind: article$/)]);
    expect(byCode).toContainEqual([15, 26, 'LP004', 'phases[0].resources[1].durationMinutes: expected a number, got text; write durationMinutes: 30 (30 minutes)']);
    expect(byCode).toContainEqual([20, 13, 'LP004', expect.stringContaining('checklist[0].target: expected { phase: <phase id> }, "supplementary" or null')]);
    expect(diagnostics.every((d) => d.severity === 'error' && d.file === 'kafka.yaml')).toBe(true);
  });

  it('reports a missing title as LP201 and a missing resource title as LP004', () => {
    const { diagnostics } = parseYamlPath('overview: x\nphases:\n  - title: P\n    resources:\n      - kind: article\n', { file: 'x.yaml' });
    expect(summary(diagnostics)).toEqual(['1:1 LP201', '5:9 LP004']);
    expect(diagnostics[1]?.message).toBe('phases[0].resources[0].title: missing required field "title" (expected text)');
  });

  it('reports syntax errors, duplicate keys and several documents as LP002 with positions', () => {
    expect(summary(parseYamlPath('title: a\nphases:\n  - title: [x\n', { file: 'x.yaml' }).diagnostics)[0]).toMatch(/^\d+:\d+ LP002$/);
    const dup = parseYamlPath('title: a\noverview: b\noverview: c\n', { file: 'x.yaml' });
    expect(dup.path).toBeNull();
    expect(dup.diagnostics).toEqual([expect.objectContaining({ line: 3, column: 1, code: 'LP002', message: 'duplicate key "overview": each field may appear once' })]);
    expect(parseYamlPath('title: a\n---\ntitle: b\n', { file: 'x.yaml' }).diagnostics[0]?.code).toBe('LP002');
  });

  it('refuses alias bombs and non-mapping documents without throwing', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(parseYamlPath(bomb, { file: 'x.yaml' }).diagnostics[0]?.code).toMatch(/LP00[24]/);
    expect(summary(parseYamlPath('', { file: 'x.yaml' }).diagnostics)).toEqual(['1:1 LP004']);
    expect(summary(parseYamlPath('- a\n- b\n', { file: 'x.yaml' }).diagnostics)).toEqual(['1:1 LP004']);
  });

  it('locates validatePath issues: duplicate ids at the title they come from, unknown references at the reference', () => {
    const text = 'title: T\nphases:\n  - title: P\n    resources:\n      - title: A\n      - title: A\n        next: { resource: zzz }\n';
    const result = parseYamlPath(text, { file: 'x.yaml' });
    expect(summary(checkPath(result, 'x.yaml'))).toEqual(['6:16 LP103', '7:9 LP104']);
  });
});

describe('parseJsonPath', () => {

  it('compiles strict JSON and locates reference issues', () => {
    const result = parseJsonPath(json, { file: 'p.json', fallbackSlug: 'p' });
    expect(result.diagnostics).toEqual([]);
    expect(result.path?.slug).toBe('p');
    expect(checkPath(result, 'p.json')).toEqual([expect.objectContaining({ line: 12, column: 13, code: 'LP101' })]);
  });

  it('rejects comments, trailing commas and duplicate keys with positions', () => {
    expect(summary(parseJsonPath('{"title": "a" // c\n}', { file: 'p.json' }).diagnostics)).toEqual(['1:15 LP002']);
    expect(summary(parseJsonPath('{"title": "a",}', { file: 'p.json' }).diagnostics)).toEqual(['1:15 LP002']);
    expect(parseJsonPath('{\n  "title": "a",\n  "title": "b"\n}', { file: 'p.json' }).diagnostics).toEqual([
      expect.objectContaining({ line: 3, column: 3, code: 'LP002', message: 'duplicate key "title": each field may appear once' }),
    ]);
    expect(summary(parseJsonPath('', { file: 'p.json' }).diagnostics)).toEqual(['1:1 LP002']);
  });

  it('places schema violations at the value', () => {
    const { diagnostics } = parseJsonPath('{\n  "title": "T",\n  "phases": [{ "title": "P", "sequential": "yes" }]\n}', { file: 'p.json' });
    expect(diagnostics).toEqual([expect.objectContaining({ line: 3, column: 44, code: 'LP004', message: 'phases[0].sequential: expected true or false, got text' })]);
  });
});

describe('parsePathDocument', () => {
  it('picks the parser by extension and refuses unknown types', () => {
    expect(parsePathDocument(yaml, { file: 'a/kafka-basics.yml' }).path?.slug).toBe('kafka-basics');
    expect(parsePathDocument(json, { file: 'x.txt', format: 'json' }).path?.title).toBe('T');
    expect(parsePathDocument('x', { file: 'x.txt' }).diagnostics[0]?.code).toBe('LP005');
  });

  it('gives a slug when the fallback it is given is not one, in every format', () => {
    const markdown = '# Kafka Basics\n\n## Overview\n\nStreams.\n';
    for (const [text, file] of [[yaml, 'k.yaml'], [json, 'k.json'], [markdown, 'k.md']] as const) {
      const { path, diagnostics } = parsePathDocument(text, { file, fallbackSlug: 'My Kafka Notes!' });
      expect(path?.slug).toBe('my-kafka-notes');
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
  });
});

describe('YAML and JSON written with Markdown habits', () => {
  const read = (name: string) => readFileSync(new URL(`../test/fixtures/authoring/${name}`, import.meta.url), 'utf8');

  it('a duration as text says which durationMinutes to write; a kind in capitals says which kind', () => {
    const result = parsePathDocument(read('yaml-markdown-habits.yaml'), { file: 'habits.yaml' });
    const messages = result.diagnostics.map((d) => `${d.line} ${d.code} ${d.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^6 LP004 .*"Video".*; write kind: video$/),
      expect.stringMatching(/^7 LP004 .*unknown field "duration"; write durationMinutes: 75 \(1 hour 15 minutes\)$/),
      expect.stringMatching(/^9 LP004 .*"docs".*; write kind: documentation$/),
      expect.stringMatching(/^10 LP004 .*expected a number, got text; write durationMinutes: 12\.5 \(12:30\)$/),
      expect.stringMatching(/^12 LP004 .*"Artcle".*; did you mean "article"\?$/),
    ]);
  });

  it('the same in JSON, with "did you mean" for a misspelt field', () => {
    const result = parsePathDocument(read('json-markdown-habits.json'), { file: 'habits.json' });
    const messages = result.diagnostics.map((d) => `${d.line} ${d.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^7 .*; write kind: video$/),
      expect.stringMatching(/^7 .*unknown field "length"; write durationMinutes: 45 \(45 minutes\)$/),
      expect.stringMatching(/^8 .*expected a number, got text; write durationMinutes: 30 \(30 minutes\)$/),
      expect.stringMatching(/^8 .*unknown field "fokus"; did you mean "focus"\?$/),
    ]);
  });

  it('an unknown reference id suggests the closest one', () => {
    const fixed = read('yaml-markdown-habits.yaml').replace('kind: Video', 'kind: video').replace('duration: 1 hour 15 minutes', 'durationMinutes: 75').replace('kind: docs', 'kind: documentation').replace('durationMinutes: 12:30', 'durationMinutes: 12.5').replace('kind: Artcle', 'kind: article');
    const result = parsePathDocument(fixed, { file: 'habits.yaml' });
    expect(result.diagnostics).toEqual([]);
    const issues = checkPath(result, 'habits.yaml');
    expect(issues.map((d) => `${d.line} ${d.code}`)).toEqual(['15 LP101']);
    expect(issues[0]!.message).toContain('did you mean "consumer-groups"?');
  });
});
