import { expect } from 'vitest';
import type { App } from '../../src/app.js';

/** A GraphQL response body. */
export interface GraphqlBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

/** Sends a GraphQL operation as POST /graphql; returns the status and the body. */
export async function postGraphql<T = Record<string, unknown>>(app: App, query: string, variables?: Record<string, unknown>): Promise<{ statusCode: number; body: GraphqlBody<T> }> {
  // The GraphQL-over-HTTP media type, under which request errors are 4xx.
  const response = await app.inject({ method: 'POST', url: '/graphql', headers: { accept: 'application/graphql-response+json' }, payload: { query, ...(variables ? { variables } : {}) } });
  return { statusCode: response.statusCode, body: response.json() as GraphqlBody<T> };
}

/** Runs a GraphQL operation that must succeed (200, no errors) and returns its data. */
export async function gql<T = Record<string, unknown>>(app: App, query: string, variables?: Record<string, unknown>): Promise<T> {
  const { statusCode, body } = await postGraphql<T>(app, query, variables);
  expect(body.errors, query.slice(0, 200)).toBeUndefined();
  expect(statusCode, query.slice(0, 200)).toBe(200);
  return body.data as T;
}
