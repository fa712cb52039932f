import type { z } from 'zod';
import type { DiagnosticCode, PathPointer } from '@learnpath/schema';
import { formatPointer } from './line-index.js';
import { formatDuration, parseDuration } from './duration.js';
import { didYouMean } from './suggest.js';
import { readKind } from './markdown/vocabulary.js';

type Issue = z.core.$ZodIssue;

/** A schema violation of an authored document, pointing into the document. */
export interface DocumentIssue {
  code: DiagnosticCode;
  at: PathPointer;
  message: string;
}

const REFERENCE_EXPECTED = 'expected a reference: { phase: <phase id> }, { resource: <resource id> } or { path: <path slug> }';
const TARGET_EXPECTED = 'expected { phase: <phase id> }, "supplementary" or null';
const PREREQUISITE_EXPECTED = 'expected text, or { text, path } naming another path (path may be null)';

function toPointer(path: readonly PropertyKey[]): PathPointer {
  return path.map((k) => (typeof k === 'number' ? k : String(k)));
}

const EXPECTED: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function expectedName(expected: string): string {
  return EXPECTED[expected] ?? expected;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

function valueAt(root: unknown, at: PathPointer): unknown {
  let cur = root;
  for (const key of at) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Object.hasOwn(cur, key) ? (cur as Record<string | number, unknown>)[key] : undefined;
  }
  return cur;
}

// What a union expects depends on where it sits; the generic zod text ("Invalid input") does not say.
function unionExpectation(at: PathPointer): string | null {
  const last = at[at.length - 1];
  const parent = at[at.length - 2];
  if (last === 'next' || parent === 'dependsOn') return REFERENCE_EXPECTED;
  if (last === 'target') return TARGET_EXPECTED;
  if (parent === 'prerequisites') return PREREQUISITE_EXPECTED;
  return null;
}

// Every field name of the document format, for "did you mean" on an unknown one.
const FIELD_NAMES = [
  'slug', 'title', 'overview', 'prerequisites', 'level', 'tags', 'phases', 'additionalResources', 'supplementaryVideos', 'checklist', 'notes',
  'id', 'sequential', 'resources', 'dependsOn', 'kind', 'url', 'durationMinutes', 'focus', 'next', 'description', 'channel', 'label', 'target',
  'checked', 'text', 'path', 'phase', 'resource',
];
const DURATION_KEYS = new Set(['duration', 'length', 'time', 'minutes']);

/** A hint for a duration written as text where minutes are expected: "write durationMinutes: 30". */
function durationHint(value: unknown): string {
  if (typeof value !== 'string') return '';
  const minutes = parseDuration(value);
  return minutes === null ? '; durationMinutes is a number of minutes, e.g. durationMinutes: 30' : `; write durationMinutes: ${minutes} (${formatDuration(minutes)})`;
}

/** Turns zod issues of `LearningPathDocumentSchema` into messages that name the field and what was expected. */
export function describeIssues(issues: readonly Issue[], input: unknown, prefix: PathPointer = []): DocumentIssue[] {
  const out: DocumentIssue[] = [];
  for (const issue of issues) {
    const at = [...prefix, ...toPointer(issue.path)];
    const where = formatPointer(at);
    const value = valueAt(input, at);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const hint = DURATION_KEYS.has(key.toLowerCase()) ? durationHint(valueAt(input, [...at, key])) : didYouMean(key, FIELD_NAMES);
          out.push({ code: 'LP004', at: [...at, key], message: `${formatPointer([...at, key])}: unknown field "${key}"${hint}` });
        }
        break;
      case 'invalid_type':
        if (value === undefined) {
          const field = at[at.length - 1];
          const isTitle = at.length === 1 && field === 'title';
          out.push({
            code: isTitle ? 'LP201' : 'LP004',
            at,
            message: isTitle
              ? 'the document has no title: expected a "title" field with text'
              : `${where}: missing required field "${String(field)}" (expected ${expectedName(issue.expected)})`,
          });
        } else {
          const hint = at[at.length - 1] === 'durationMinutes' ? durationHint(value) : '';
          out.push({ code: 'LP004', at, message: `${where}: expected ${expectedName(issue.expected)}, got ${typeName(value)}${hint}` });
        }
        break;
      case 'invalid_union': {
        const known = unionExpectation(at);
        // A branch whose issues all lie deeper than the union got furthest: report those instead.
        const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
        if (deeper && value !== null && typeof value === 'object') {
          out.push(...describeIssues(deeper, input, at));
        } else {
          const expectations = [...new Set(issue.errors.flatMap((b) => b.map((i) => i.message.replace(/^Invalid input: /, ''))))];
          out.push({ code: 'LP004', at, message: `${where}: ${known ?? expectations.join('; or ')}, got ${typeName(value)}` });
        }
        break;
      }
      case 'invalid_value': {
        // "Video" or "docs" as in Markdown: say which kind to write.
        const kind = at[at.length - 1] === 'kind' && typeof value === 'string' ? readKind(value) : null;
        const hint = kind !== null ? `; write kind: ${kind}` : typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
        out.push({
          code: 'LP004',
          at,
          message: `${where}: expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join(', ')}${value === undefined ? '' : ` (got ${describeValue(value)})`}${hint}`,
        });
        break;
      }
      default:
        out.push({ code: 'LP004', at, message: `${where}: ${issue.message.replace(/^Invalid input: /, '')}${value === undefined ? '' : ` (got ${describeValue(value)})`}` });
    }
  }
  return out;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeName(value);
}
