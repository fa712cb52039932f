import { GraphQLError } from 'graphql';
import { withoutStack } from '../http/refusal.js';

/** A GraphQL error a client caused, with `extensions.code` BAD_USER_INPUT. */
export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return withoutStack(() => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } }));
}

/** The page size a connection's `first` asks for: `defaultFirst` when not given, 1–`maxFirst` otherwise (BAD_USER_INPUT beyond). */
export function pageSizeOf(first: number | null | undefined, defaultFirst: number, maxFirst: number): number {
  if (first == null) return Math.min(defaultFirst, maxFirst);
  if (!Number.isInteger(first) || first < 1 || first > maxFirst) {
    throw badUserInput(`\`first\` must be between 1 and ${maxFirst}.`, { argument: 'first', max: maxFirst });
  }
  return first;
}
