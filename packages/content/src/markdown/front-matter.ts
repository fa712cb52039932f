import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { LevelSchema, SlugSchema, slugify, type Level } from '@learnpath/schema';
import type { SourcePosition } from '../types.js';
import type { Report } from './report.js';

/** What the YAML front matter of a Markdown document sets. */
export interface FrontMatter {
  slug?: string;
  level?: Level | null;
  tags?: string[];
  /** Explicit phase ids by 1-based phase number. */
  phaseIds: Map<number, string>;
}

/** The keys front matter may hold. */
export const FRONT_MATTER_KEYS = ['slug', 'level', 'tags', 'phases'] as const;

/** Whether a document's first line opens front matter (`---`, after a byte order mark). */
export function opensFrontMatter(firstLine: string | undefined): boolean {
  return firstLine !== undefined && firstLine.replace(/^\uFEFF/, '').trimEnd() === '---';
}

/**
 * Finds YAML front matter (`---` on the first line, up to the next `---` or `...` line), reads
 * it, and blanks its lines so that the Markdown parser keeps the document's line numbers.
 */
export function readFrontMatter(lines: string[], report: Report): FrontMatter {
  const frontMatter: FrontMatter = { phaseIds: new Map() };
  if (!opensFrontMatter(lines[0])) return frontMatter;
  let close = -1;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '---' || line === '...') {
      close = i;
      break;
    }
  }
  if (close < 0) {
    report.error({ line: 1, column: 1 }, 'LP003', 'the front matter opened on line 1 is never closed: expected a line with "---" after it');
    lines[0] = '';
    return frontMatter;
  }
  const yamlText = lines.slice(1, close).join('\n');
  for (let i = 0; i <= close; i++) lines[i] = '';

  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + 1, column: Math.max(1, col) };
  };
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: false });
  for (const error of doc.errors) {
    report.error(at(error.pos[0]), 'LP003', `front matter is not valid YAML: ${error.message.split('\n')[0]}`);
  }
  if (doc.errors.length > 0) return frontMatter;
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return frontMatter;
  if (!isMap(contents)) {
    report.error(at(rangeStart(contents)), 'LP003', 'front matter must be a mapping of keys such as slug, level, tags and phases');
    return frontMatter;
  }
  let data: Record<string, unknown>;
  try {
    // Aliases expand on conversion; the cap stops "billion laughs" front matter.
    data = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  } catch (error) {
    report.error({ line: 2, column: 1 }, 'LP003', `front matter cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    return frontMatter;
  }
  for (const item of contents.items) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    const keyAt = at(rangeStart(item.key as YamlNode | null));
    const value = item.value as YamlNode | null;
    const valueAt = value ? at(rangeStart(value)) : keyAt;
    const json: unknown = data[key] ?? null;
    switch (key) {
      case 'slug': {
        const parsed = SlugSchema.safeParse(json);
        if (parsed.success) {
          frontMatter.slug = parsed.data;
          report.position(['slug'], valueAt);
        } else report.error(valueAt, 'LP004', `slug must be a slug (lowercase letters, digits and single hyphens), got ${describe(json)}${typeof json === 'string' ? `; did you mean "${slugify(json)}"?` : ''}`);
        break;
      }
      case 'level': {
        const parsed = LevelSchema.nullable().safeParse(json);
        if (parsed.success) {
          frontMatter.level = parsed.data;
          report.position(['level'], valueAt);
        } else report.error(valueAt, 'LP004', `level must be one of beginner, intermediate, advanced, got ${describe(json)}`);
        break;
      }
      case 'tags':
        readTags(value, json, valueAt, at, frontMatter, report);
        break;
      case 'phases':
        readPhaseIds(value, valueAt, at, frontMatter, report);
        break;
      default:
        report.error(keyAt, 'LP207', `unknown front matter key "${key}": expected one of ${FRONT_MATTER_KEYS.join(', ')}`);
    }
  }
  return frontMatter;
}

function readTags(
  value: YamlNode | null,
  json: unknown,
  valueAt: SourcePosition,
  at: (offset: number) => SourcePosition,
  frontMatter: FrontMatter,
  report: Report,
): void {
  if (!isSeq(value)) {
    report.error(valueAt, 'LP004', `tags must be a list of slugs such as [streaming, kafka], got ${describe(json)}`);
    return;
  }
  const tags: string[] = [];
  value.items.forEach((item) => {
    const tag: unknown = isScalar(item) ? item.value : null;
    const parsed = SlugSchema.safeParse(tag);
    if (parsed.success) tags.push(parsed.data);
    else report.error(at(rangeStart(item as YamlNode)), 'LP004', `a tag must be a slug (lowercase letters, digits and single hyphens), got ${describe(tag)}${typeof tag === 'string' ? `; did you mean "${slugify(tag)}"?` : ''}`);
  });
  frontMatter.tags = tags;
  report.position(['tags'], valueAt);
}

// `phases:` gives explicit phase ids, either as a list in phase order (null keeps the slug of
// the title) or as a mapping from phase number to id.
function readPhaseIds(
  value: YamlNode | null,
  valueAt: SourcePosition,
  at: (offset: number) => SourcePosition,
  frontMatter: FrontMatter,
  report: Report,
): void {
  const add = (number: number, node: unknown): void => {
    const idAt = at(rangeStart(node as YamlNode));
    const id: unknown = isScalar(node) ? node.value : node;
    if (id === null) return;
    const parsed = SlugSchema.safeParse(id);
    if (!parsed.success) {
      report.error(idAt, 'LP004', `the id of phase ${number} must be a slug (lowercase letters, digits and single hyphens), got ${describe(id)}`);
      return;
    }
    frontMatter.phaseIds.set(number, parsed.data);
    report.position(['phases', number - 1, 'id'], idAt);
  };
  if (isSeq(value)) {
    value.items.forEach((item, index) => add(index + 1, item));
  } else if (isMap(value)) {
    for (const item of value.items) {
      const key: unknown = isScalar(item.key) ? item.key.value : item.key;
      const number = typeof key === 'number' ? key : typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : NaN;
      if (!Number.isInteger(number) || number < 1) {
        report.error(at(rangeStart(item.key as YamlNode)), 'LP004', `phases: expected a phase number (1, 2, …) as key, got ${describe(key)}`);
        continue;
      }
      add(number, item.value);
    }
  } else {
    report.error(valueAt, 'LP004', 'phases must list phase ids in order ([basics, null, advanced]) or map phase numbers to ids ({2: core})');
  }
}

function rangeStart(node: YamlNode | null | undefined): number {
  const range = node && typeof node === 'object' && 'range' in node ? node.range : undefined;
  return Array.isArray(range) ? (range[0] ?? 0) : 0;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
