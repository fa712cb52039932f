import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Refuses an operation whose type the schema has no root for (a subscription here), as the
 * GraphQL specification's "Operation Type Existence" rule asks (graphql-js 17 ships it as
 * `KnownOperationTypesRule`; graphql-js 16 only fails when executing, as a field error).
 */
export const knownOperationTypesRule: ValidationRule = (context: ValidationContext) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(new GraphQLError(`The ${node.operation} operation is not supported by the schema.`, { nodes: node }));
  },
});
