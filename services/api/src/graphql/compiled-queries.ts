import { getOperationAST, parse, specifiedRules, validate, type ExecutionResult, type GraphQLSchema, type ValidationRule } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { checkDocumentLimits } from './limits.js';

/** A public query compiled once, run and serialised without the GraphQL server's request pipeline. */
export interface ReadyQuery {
  /** Runs the query: a result, or a promise of one when a resolver waits. */
  run(context: object, variables: Record<string, unknown>): ExecutionResult | Promise<ExecutionResult>;
}

/** What `CompiledQueries` needs to decide that a document may run: the server's own checks. */
export interface CompiledQueriesOptions {
  schema: GraphQLSchema;
  /** The validation rules the server adds to the specification's. */
  rules: readonly ValidationRule[];
  limits: { depth: number; aliases: number; tokens: number };
  /** Query texts remembered (seen once, compiled, or refused), the longest kept out first. */
  maxEntries: number;
  /** Most UTF-16 units of remembered texts, so that long hostile texts cannot grow memory. Default 4 MiB. */
  maxChars?: number;
}

/** Not run here: the text is new, or it is not a valid query operation (the server explains why). */
const NOT_HERE = null;
type Entry = ReadyQuery | 'seen' | 'refused';

/**
 * Query operations that passed the server's checks, compiled with graphql-jit and kept by their
 * text (operation name included). A text becomes ready the second time it is asked for (a text
 * asked once costs no compilation); a text that does not parse, does not validate, exceeds a
 * limit, has no operation of that name or is not a query (a mutation, a subscription) never
 * does, and is left to the server, which answers it with the error it deserves. Texts are
 * remembered up to a count and a size, the longest kept out first.
 */
export class CompiledQueries {
  readonly #entries = new Map<string, Entry>();
  readonly #options: CompiledQueriesOptions;
  readonly #rules: readonly ValidationRule[];
  readonly #maxChars: number;
  #chars = 0;

  constructor(options: CompiledQueriesOptions) {
    this.#options = options;
    this.#rules = [...specifiedRules, ...options.rules];
    this.#maxChars = options.maxChars ?? 4 * 1024 * 1024;
  }

  /** The compiled query of this text, or null when the server must answer it. */
  get(text: string, operationName: string): ReadyQuery | null {
    const entry = this.#entries.get(text);
    if (entry !== undefined && typeof entry === 'object') return entry;
    if (entry === 'refused') return NOT_HERE;
    if (text.length > this.#maxChars) return NOT_HERE;
    const next: Entry = entry === 'seen' ? this.#compile(text, operationName) : 'seen';
    if (entry === undefined) this.#chars += text.length;
    else this.#entries.delete(text);
    this.#entries.set(text, next);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#options.maxEntries && this.#chars <= this.#maxChars) break;
      this.#entries.delete(oldest);
      this.#chars -= oldest.length;
    }
    return typeof next === 'object' ? next : NOT_HERE;
  }

  #compile(text: string, operationName: string): ReadyQuery | 'refused' {
    const { schema, limits } = this.#options;
    try {
      const document = parse(text, { maxTokens: limits.tokens });
      if (checkDocumentLimits(document, limits) !== null) return 'refused';
      if (validate(schema, document, this.#rules).length > 0) return 'refused';
      const name = operationName === '' ? undefined : operationName;
      if (getOperationAST(document, name)?.operation !== 'query') return 'refused';
      const compiled: CompiledQuery | ExecutionResult = compileQuery(schema, document, name);
      if (!isCompiledQuery(compiled)) return 'refused';
      return { run: (context, variables) => compiled.query(undefined, context, variables) };
    } catch {
      return 'refused';
    }
  }
}
