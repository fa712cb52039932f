import { RESOURCE_KINDS, type ResourceKind } from '@learnpath/schema';
import { memoizeText } from '../text-memo.js';

// Every vocabulary an author's words are looked up in is a Map: a plain object would also answer
// for inherited names such as "constructor" or "__proto__".

/** A `##` section of a learning path document. */
export type SectionKey = 'overview' | 'prerequisites' | 'learning path' | 'additional resources' | 'supplementary videos' | 'completion checklist' | 'notes';

/** The `##` sections by normalized heading, with the heading as written in the format. */
export const SECTIONS: ReadonlyMap<string, { key: SectionKey; label: string }> = new Map(
  (
    [
      ['overview', 'Overview'],
      ['prerequisites', 'Prerequisites'],
      ['learning path', 'Learning Path'],
      ['additional resources', 'Additional Resources'],
      ['supplementary videos', 'Supplementary Videos'],
      ['completion checklist', 'Completion Checklist'],
      ['notes', 'Notes'],
    ] as const
  ).map(([key, label]) => [key, { key, label }]),
);

/** The section names, for messages. */
export const SECTION_LIST = [...SECTIONS.values()].map((s) => s.label).join(', ');

/** A field of a resource. */
export type ResourceField = 'duration' | 'focus' | 'next' | 'dependencies' | 'url' | 'id';

/** The fields of a resource by normalized key, aliases included. */
export const RESOURCE_FIELDS: ReadonlyMap<string, ResourceField> = new Map([
  ['duration', 'duration'],
  ['length', 'duration'],
  ['time', 'duration'],
  ['focus', 'focus'],
  ['next step', 'next'],
  ['next', 'next'],
  ['dependencies', 'dependencies'],
  ['dependency', 'dependencies'],
  ['depends on', 'dependencies'],
  ['url', 'url'],
  ['link', 'url'],
  ['id', 'id'],
]);

/** The resource fields as written in the format, for messages and suggestions. */
export const RESOURCE_FIELD_LABELS = ['Duration', 'Focus', 'Next step', 'Dependencies', 'URL', 'Id'] as const;
export const RESOURCE_KEYS = 'Duration, Focus, Next step, Dependencies, URL or Id';

/** Other names authors give kinds, by lowercase name. */
const KIND_ALIASES: ReadonlyMap<string, ResourceKind> = new Map([
  ['doc', 'documentation'],
  ['docs', 'documentation'],
  ['reference', 'documentation'],
  ['manual', 'documentation'],
  ['blog', 'article'],
  ['blog post', 'article'],
  ['post', 'article'],
  ['paper', 'article'],
  ['essay', 'article'],
  ['talk', 'video'],
  ['lecture', 'video'],
  ['screencast', 'video'],
  ['ebook', 'book'],
  ['book chapter', 'book'],
  ['chapter', 'book'],
  ['mooc', 'course'],
  ['guide', 'tutorial'],
  ['workshop', 'tutorial'],
  ['lab', 'exercise'],
  ['practice', 'exercise'],
  ['quiz', 'interactive'],
  ['playground', 'interactive'],
  ['episode', 'podcast'],
]);

/** Every kind name an author may write, lowercase: the schema's kinds and their aliases. */
export const KIND_NAMES: ReadonlyMap<string, ResourceKind> = new Map<string, ResourceKind>([...RESOURCE_KINDS.map((k): [string, ResourceKind] => [k, k]), ...KIND_ALIASES]);

/** A resource kind by name ("[Article]", "Docs", "Video"), case-insensitive; null when unknown. */
export const readKind: (text: string) => ResourceKind | null = memoizeText((text) => {
  const bracketed = /^\[(.*)\]$/.exec(text.trim());
  const name = (bracketed ? bracketed[1]! : text).trim().toLowerCase().replace(/\s+/g, ' ');
  return KIND_NAMES.get(name) ?? null;
});

/** The name a kind is written with: "Article". */
export function kindLabel(kind: ResourceKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** The kinds as written in a document: "[Article], [Video], …". */
export function kindNames(): string {
  return RESOURCE_KINDS.map((k) => `[${kindLabel(k)}]`).join(', ');
}

/** The duration spellings, for messages. */
export const DURATION_EXAMPLES = 'expected e.g. "35 minutes", "45 min", "1.5 hours", "1 hour 15 minutes", "1h 30m", "10:42" (mm:ss) or "1:02:03"';
