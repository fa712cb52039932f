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
  /** Compiled texts remembered, and as many others (seen once, or refused); the longest kept out first. */
  maxEntries: number;
  /** Most UTF-16 units of remembered texts, so that long hostile texts cannot grow memory. Default 4 MiB. */
  maxChars?: number;
}

/** Not run here: the text is new, or it is not a valid query operation (the server explains why). */
const NOT_HERE = null;

/** Texts by insertion, up to a count and a size (UTF-16 units of the texts), the oldest out first. */
class TextMap<V> {
  readonly #entries = new Map<string, V>();
  #chars = 0;
  constructor(
    readonly maxEntries: number,
    readonly maxChars: number,
  ) {}

  get(text: string): V | undefined {
    return this.#entries.get(text);
  }

  set(text: string, value: V): void {
    if (this.#entries.has(text)) this.#entries.delete(text);
    else this.#chars += text.length;
    this.#entries.set(text, value);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries && this.#chars <= this.maxChars) break;
      this.#entries.delete(oldest);
      this.#chars -= oldest.length;
    }
  }

  delete(text: string): void {
    if (this.#entries.delete(text)) this.#chars -= text.length;
  }
}

/**
 * Query operations that passed the server's checks, compiled with graphql-jit and kept by their
 * text (operation name included). A text becomes ready the second time it is asked for (a text
 * asked once costs no compilation); a text that does not parse, does not validate, exceeds a
 * limit, has no operation of that name or is not a query (a mutation, a subscription) never
 * does, and is left to the server, which answers it with the error it deserves. Compiled texts
 * and the others are remembered apart, each up to a count and a size, the longest kept out
 * first: texts asked only once, however many, never push a compiled one out.
 */
export class CompiledQueries {
  readonly #ready: TextMap<ReadyQuery>;
  readonly #others: TextMap<'seen' | 'refused'>;
  readonly #options: CompiledQueriesOptions;
  readonly #rules: readonly ValidationRule[];

  constructor(options: CompiledQueriesOptions) {
    this.#options = options;
    this.#rules = [...specifiedRules, ...options.rules];
    const maxChars = options.maxChars ?? 4 * 1024 * 1024;
    this.#ready = new TextMap(options.maxEntries, maxChars);
    this.#others = new TextMap(options.maxEntries, maxChars);
  }

  /** The compiled query of this text, or null when the server must answer it. */
  get(text: string, operationName: string): ReadyQuery | null {
    const ready = this.#ready.get(text);
    if (ready !== undefined) return ready;
    if (text.length > this.#others.maxChars) return NOT_HERE;
    const mark = this.#others.get(text);
    if (mark === undefined) {
      this.#others.set(text, 'seen');
      return NOT_HERE;
    }
    if (mark === 'refused') return NOT_HERE;
    const compiled = this.#compile(text, operationName);
    if (compiled === 'refused') {
      this.#others.set(text, 'refused');
      return NOT_HERE;
    }
    this.#others.delete(text);
    this.#ready.set(text, compiled);
    return compiled;
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
