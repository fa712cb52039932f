import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';

// Parameters and query strings repeat: the same slug, the same listing query, thousands of
// times a second. Validation is a pure function of its input, so valid results are kept per
// route and part (bounded, least recently inserted first out). Bodies are never memoised.
const MEMO_SIZE = 1000;
const MEMO_KEY_LIMIT = 512;

type Result = { error?: Error | FastifySchemaValidationError[]; value?: unknown };
type Validate = (data: unknown) => Result;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// Route parameters and most query strings are flat records of strings: they key without
// JSON.stringify. Each part is prefixed with its length, so no two inputs share a key.
function keyOf(data: unknown): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return `json:${JSON.stringify(data)}`;
  let key = 'flat:';
  for (const name in data) {
    const value = (data as Record<string, unknown>)[name];
    if (typeof value !== 'string') return `json:${JSON.stringify(data)}`;
    key += `${name.length}:${name}${value.length}:${value}`;
  }
  return key;
}

/**
 * The zod validator compiler of fastify-type-provider-zod, memoising successful validation of
 * route parameters and query strings. Results are frozen, since every request with the same
 * input shares one.
 */
export const memoizedValidatorCompiler: FastifySchemaCompiler<$ZodType> = (route) => {
  const validate = validatorCompiler(route) as Validate;
  if (route.httpPart !== 'params' && route.httpPart !== 'querystring') return validate;
  const memo = new Map<string, Result>();
  return (data: unknown): Result => {
    const key = keyOf(data);
    if (key.length > MEMO_KEY_LIMIT) return validate(data);
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const result = validate(data);
    if (result.error === undefined) {
      const entry: Result = { value: deepFreeze(result.value) };
      memo.set(key, entry);
      if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
      return entry;
    }
    return result;
  };
};
