import { z } from 'zod';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DEFAULT_BODY_LIMIT, REQUEST_LIMITS } from '../http/request-limits.js';
import { RefusalError } from '../http/refusal.js';

/** The limits every GraphQL request must stay within; on by default. */
export const GraphqlLimitsSchema = z
  .strictObject({
    depth: z.number().int().min(1).max(100).default(10).describe('Deepest nesting of fields in an operation (introspection `ofType` chains do not count).'),
    aliases: z.number().int().min(0).max(1000).default(15).describe('Most aliased fields in an operation, fragments expanded.'),
    tokens: z.number().int().min(50).max(100_000).default(2000).describe('Most lexical tokens in a document.'),
    maxFirst: z.number().int().min(1).max(1000).default(REQUEST_LIMITS.maxPageSize).describe('Largest `first` a connection accepts.'),
    defaultFirst: z.number().int().min(1).max(1000).default(REQUEST_LIMITS.defaultPageSize).describe('Page size when `first` is not given.'),
    batch: z.number().int().min(0).max(10).default(0).describe('Most operations in a batched request; 0 turns batching off.'),
    bodyBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(DEFAULT_BODY_LIMIT).describe('Largest request body in bytes.'),
    maxCompleted: z.number().int().min(1).max(100_000).default(REQUEST_LIMITS.completedIds).describe('Most ids `progress(completed:)` accepts.'),
    maxCompletedPaths: z.number().int().min(1).max(100_000).default(REQUEST_LIMITS.completedPaths).describe('Most slugs `progress(completedPaths:)` accepts.'),
  })
  .describe('Limits of the GraphQL endpoint.');
/** Limits as given (every field optional). */
export type GraphqlLimitsInput = z.input<typeof GraphqlLimitsSchema>;
/** Limits with defaults applied. */
export type GraphqlLimits = z.output<typeof GraphqlLimitsSchema>;

/** `extensions.code` of the errors the limits raise. */
export const LIMIT_CODES = {
  depth: 'DEPTH_LIMIT_EXCEEDED',
  aliases: 'ALIAS_LIMIT_EXCEEDED',
  tokens: 'TOKEN_LIMIT_EXCEEDED',
  batch: 'BATCH_LIMIT_EXCEEDED',
  body: 'PAYLOAD_TOO_LARGE',
} as const;

type Measure = (selections: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, memo: Map<string, number>, visiting: Set<string>) => number;

// Both measures expand fragments (memoised per fragment) so that spreading one fragment
// many times cannot hide its cost; a fragment cycle (reported by the spec rules) counts 0.
function expandSpread(name: string, fragments: ReadonlyMap<string, FragmentDefinitionNode>, memo: Map<string, number>, visiting: Set<string>, measure: Measure): number {
  const known = memo.get(name);
  if (known !== undefined) return known;
  const fragment = fragments.get(name);
  if (!fragment || visiting.has(name)) return 0;
  visiting.add(name);
  const value = measure(fragment.selectionSet, fragments, memo, visiting);
  visiting.delete(name);
  memo.set(name, value);
  return value;
}

const measureDepth: Measure = (set, fragments, memo, visiting) => {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__typename') continue;
      // ofType chains of introspection are single objects, not fan-out: they do not count.
      const own = selection.name.value === 'ofType' ? 0 : 1;
      depth = own + (selection.selectionSet ? measureDepth(selection.selectionSet, fragments, memo, visiting) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = measureDepth(selection.selectionSet, fragments, memo, visiting);
    } else {
      depth = expandSpread(selection.name.value, fragments, memo, visiting, measureDepth);
    }
    if (depth > deepest) deepest = depth;
  }
  return deepest;
};

const countAliases: Measure = (set, fragments, memo, visiting) => {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) count++;
      if (selection.selectionSet) count += countAliases(selection.selectionSet, fragments, memo, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countAliases(selection.selectionSet, fragments, memo, visiting);
    } else {
      count += expandSpread(selection.name.value, fragments, memo, visiting, countAliases);
    }
  }
  return count;
};

type Check = (operation: OperationDefinitionNode, value: number) => GraphQLError | null;

function checkOperations(document: DocumentNode, measure: Measure, check: Check): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const memo = new Map<string, number>();
  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const error = check(definition, measure(definition.selectionSet, fragments, memo, new Set()));
    if (error) errors.push(error);
  }
  return errors;
}

function operationRule(measure: Measure, check: Check): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      for (const error of checkOperations(document, measure, check)) context.reportError(error);
      return false;
    },
  });
}

const operationName = (operation: OperationDefinitionNode): string => (operation.name ? `Operation "${operation.name.value}"` : 'The operation');

const depthCheck =
  (limit: number): Check =>
  (operation, depth) =>
    depth > limit
      ? new GraphQLError(`${operationName(operation)} is ${depth} fields deep; the limit is ${limit}.`, {
          nodes: [operation],
          extensions: { code: LIMIT_CODES.depth, limit, depth },
        })
      : null;

const aliasCheck =
  (limit: number): Check =>
  (operation, aliases) =>
    aliases > limit
      ? new GraphQLError(`${operationName(operation)} has ${aliases} aliases; the limit is ${limit}.`, {
          nodes: [operation],
          extensions: { code: LIMIT_CODES.aliases, limit, aliases },
        })
      : null;

/** Rejects operations nested deeper than `limit` fields. */
export function depthLimitRule(limit: number): ValidationRule {
  return operationRule(measureDepth, depthCheck(limit));
}

/** Rejects operations with more than `limit` aliased fields (fragments expanded). */
export function aliasLimitRule(limit: number): ValidationRule {
  return operationRule(countAliases, aliasCheck(limit));
}

/**
 * The depth and alias limits, checked on the parsed document before any validation rule
 * runs: the spec rules cost milliseconds on a document with hundreds of fields (overlapping
 * fields are compared pairwise), and a hostile document must be refused for much less.
 * Returns the first limit exceeded, as `depthLimitRule` or `aliasLimitRule` would report it.
 */
export function checkDocumentLimits(document: DocumentNode, limits: { depth: number; aliases: number }): GraphQLError | null {
  const [depth] = checkOperations(document, measureDepth, depthCheck(limits.depth));
  if (depth) return depth;
  const [aliases] = checkOperations(document, countAliases, aliasCheck(limits.aliases));
  return aliases ?? null;
}

/** An error of the request as a whole (batch size, malformed document), with its HTTP status. */
export class GraphqlRequestError extends RefusalError {
  readonly statusCode: number;
  readonly extensions: Record<string, unknown>;
  constructor(message: string, code: string, statusCode = 400, extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = 'GraphqlRequestError';
    this.statusCode = statusCode;
    this.extensions = { code, ...extensions };
  }
}
