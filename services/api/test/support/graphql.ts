import { expect } from 'vitest';
import type { App } from '../../src/app.js';

/** A GraphQL error as the service sends it. */
export interface GraphqlError {
  message: string;
  extensions?: Record<string, unknown>;
  path?: (string | number)[];
}

/** A GraphQL response body. */
export interface GraphqlBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: GraphqlError[];
}

/** A GraphQL answer: the HTTP status, the parsed body with its data and errors, and the raw text. */
export interface GraphqlReply<T = Record<string, unknown>> {
  status: number;
  body: GraphqlBody<T>;
  data: T | null | undefined;
  errors: GraphqlError[] | undefined;
  raw: string;
}

/**
 * POSTs anything a client might send to /graphql: an operation, a batch, or a string sent as
 * it is (to test broken JSON). Returns whatever the service answered.
 */
export async function postGraphql<T = Record<string, unknown>>(app: App, payload: unknown, headers: Record<string, string> = {}): Promise<GraphqlReply<T>> {
  const response = await app.inject({
    method: 'POST',
    url: '/graphql',
    // The GraphQL-over-HTTP media type, under which request errors are 4xx (graphql-over-http.test.ts has the legacy rules).
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const body = response.json() as GraphqlBody<T>;
  return { status: response.statusCode, body, data: body.data, errors: body.errors, raw: response.body };
}

/** Runs one GraphQL operation, whatever its outcome. */
export function sendGraphql<T = Record<string, unknown>>(app: App, query: string, variables?: Record<string, unknown>): Promise<GraphqlReply<T>> {
  return postGraphql<T>(app, { query, ...(variables ? { variables } : {}) });
}

/** Runs a GraphQL operation that must succeed (200, no errors) and returns its data. */
export async function gql<T = Record<string, unknown>>(app: App, query: string, variables?: Record<string, unknown>): Promise<T> {
  const { status, errors, data } = await sendGraphql<T>(app, query, variables);
  expect(errors, query.slice(0, 200)).toBeUndefined();
  expect(status, query.slice(0, 200)).toBe(200);
  return data as T;
}
