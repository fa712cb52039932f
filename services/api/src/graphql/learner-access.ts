import type { FastifyRequest } from 'fastify';
import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { ApiKeyring, ApiKeyScope } from '@learnpath/store';
import { checkScope, isRefusal, type AccessRefusal } from '../plugins/api-keys.js';
import { GraphqlRequestError } from './limits.js';

/** The root fields that read or change learner data, with the scope each needs (the scope of the matching REST route). */
export const LEARNER_FIELD_SCOPES: Readonly<Record<'query' | 'mutation', Readonly<Record<string, ApiKeyScope>>>> = {
  query: { learner: 'progress:read' },
  mutation: { completeResource: 'progress:write', uncompleteResource: 'progress:write' },
};

// Requests that touched learner data: their answers are private (never in the result cache).
const privateRequests = new WeakSet<FastifyRequest>();

/** Marks the request's answer as private to its key: the result cache never keeps it. */
export function markPrivate(request: FastifyRequest): void {
  privateRequests.add(request);
}

/** Whether the request touched learner data. */
export function isPrivate(request: FastifyRequest): boolean {
  return privateRequests.has(request);
}

function collectScopes(set: SelectionSetNode, fields: Readonly<Record<string, ApiKeyScope>>, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: Set<string>, into: Set<ApiKeyScope>): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const scope = fields[selection.name.value];
      if (scope !== undefined) into.add(scope);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectScopes(selection.selectionSet, fields, fragments, seen, into);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) collectScopes(fragment.selectionSet, fields, fragments, seen, into);
    }
  }
}

// Documents are parsed once and kept by mercurius, so their scopes are worked out once too.
const scopesByDocument = new WeakMap<DocumentNode, Map<string, readonly ApiKeyScope[]>>();

/**
 * The scopes an operation of `document` needs: those of the learner fields among its root
 * fields, fragments and inline fragments expanded, `@skip`/`@include` not considered (a field
 * that might run needs its scope). Without an operation name, every operation counts.
 */
export function requiredScopes(document: DocumentNode, operationName: string | null): readonly ApiKeyScope[] {
  let byName = scopesByDocument.get(document);
  if (byName === undefined) {
    byName = new Map();
    scopesByDocument.set(document, byName);
  }
  const key = operationName ?? '';
  const known = byName.get(key);
  if (known !== undefined) return known;
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const named = operationName ? operations.filter((o) => o.name?.value === operationName) : [];
  const scopes = new Set<ApiKeyScope>();
  for (const operation of named.length > 0 ? named : operations) {
    if (operation.operation === 'subscription') continue;
    collectScopes(operation.selectionSet, LEARNER_FIELD_SCOPES[operation.operation], fragments, new Set(), scopes);
  }
  const result = [...scopes];
  byName.set(key, result);
  return result;
}

// Every learner field's name: a query text that spells none of them cannot select one (GraphQL
// names have no escapes; aliases and fragments still spell the field's own name).
const LEARNER_FIELD_NAMES = [...new Set(Object.values(LEARNER_FIELD_SCOPES).flatMap((fields) => Object.keys(fields)))];
const NO_SCOPES: readonly ApiKeyScope[] = [];
// Documents of the texts that name a learner field, parsed once (a handful in practice).
const learnerDocuments = new Map<string, DocumentNode | null>();
const LEARNER_DOCUMENTS_MAX = 256;

/**
 * The scopes the operation `operationName` of a query text needs (`requiredScopes`), without
 * parsing the text unless it names a learner field. A text that does not parse needs none:
 * it is refused as a parse error before anything runs. `maxTokens` is the parser's limit, the
 * same as the one the text is executed under.
 */
export function requiredScopesOfText(text: string, operationName: string | null, maxTokens: number): readonly ApiKeyScope[] {
  if (!LEARNER_FIELD_NAMES.some((name) => text.includes(name))) return NO_SCOPES;
  let document = learnerDocuments.get(text);
  if (document === undefined) {
    try {
      document = parse(text, { maxTokens, noLocation: true });
    } catch {
      document = null;
    }
    if (learnerDocuments.size >= LEARNER_DOCUMENTS_MAX) learnerDocuments.clear();
    learnerDocuments.set(text, document);
  }
  return document === null ? NO_SCOPES : requiredScopes(document, operationName);
}

/** The first refusal of `request` for `scopes`, or null when its key holds them all. */
export function refusalOf(request: FastifyRequest, keyring: ApiKeyring, scopes: readonly ApiKeyScope[], what: string): AccessRefusal | null {
  for (const scope of scopes) {
    const decision = checkScope(request, keyring, scope, what);
    if (isRefusal(decision)) return decision;
  }
  return null;
}

/** The GraphQL request error a refusal becomes: UNAUTHENTICATED (401) or FORBIDDEN (403). */
export function refusalError(refusal: AccessRefusal): GraphqlRequestError {
  return new GraphqlRequestError(refusal.message, refusal.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', refusal.status);
}
