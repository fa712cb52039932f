import { z } from 'zod';

/**
 * Every diagnostic code with its stable name. Codes never change meaning; new problems get
 * new codes. LP0xx: reading files; LP1xx: references and structure; LP2xx: document format.
 */
export const DIAGNOSTIC_CODES = {
  LP001: 'unreadable-file',
  LP002: 'invalid-syntax',
  LP003: 'invalid-front-matter',
  LP004: 'schema-violation',
  LP005: 'unsupported-file',
  LP006: 'stale-catalog',
  LP101: 'unknown-dependency',
  LP102: 'dependency-cycle',
  LP103: 'duplicate-id',
  LP104: 'unknown-next-step',
  LP105: 'unknown-path',
  LP106: 'duplicate-slug',
  LP107: 'unknown-checklist-target',
  LP201: 'missing-title',
  LP202: 'unknown-section',
  LP203: 'unexpected-content',
  LP204: 'unreadable-duration',
  LP205: 'unknown-kind',
  LP206: 'unreadable-reference',
  LP207: 'unknown-field',
  LP208: 'invalid-url',
  LP209: 'missing-section',
  LP210: 'placeholder',
  LP211: 'duplicate-field',
  LP212: 'unreadable-phase-heading',
  LP213: 'missing-item-title',
  LP214: 'ambiguous-separator',
  LP215: 'empty-phase',
} as const;

/** A stable diagnostic code such as `LP101`. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** The stable name of a diagnostic code: `diagnosticName('LP101')` → `unknown-dependency`. */
export function diagnosticName(code: DiagnosticCode): string {
  return DIAGNOSTIC_CODES[code];
}

/** How bad a diagnostic is: errors fail `learnpath check`, warnings do not. */
export const SeveritySchema = z.enum(['error', 'warning']).describe('error fails a check; warning does not.');
export type Severity = z.output<typeof SeveritySchema>;

/** A problem found in content, pointing at a file, line and column. */
export const DiagnosticSchema = z
  .strictObject({
    file: z.string().describe('The file, relative to the content folder where possible.'),
    line: z.number().int().min(1).describe('1-based line.'),
    column: z.number().int().min(1).describe('1-based column.'),
    severity: SeveritySchema,
    code: z.enum(Object.keys(DIAGNOSTIC_CODES) as [DiagnosticCode, ...DiagnosticCode[]]).describe('Stable code, e.g. LP101.'),
    message: z.string().describe('What is wrong and what was expected.'),
  })
  .describe('A problem found in content.');
export type Diagnostic = z.output<typeof DiagnosticSchema>;

/** Formats a diagnostic the way compilers do: `file:line:col severity code message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
}
