import { GraphQLInterfaceType, GraphQLObjectType, GraphQLUnionType, type GraphQLFieldResolver, type GraphQLSchema, type GraphQLTypeResolver } from 'graphql';

/** Attaches resolvers (object fields and union `__resolveType`) to a schema built without them. */
export function attachResolvers(schema: GraphQLSchema, resolvers: object): GraphQLSchema {
  for (const [typeName, typeResolvers] of Object.entries(resolvers as Record<string, Record<string, unknown>>)) {
    const type = schema.getType(typeName);
    if (type instanceof GraphQLObjectType) {
      const fields = type.getFields();
      for (const [fieldName, resolve] of Object.entries(typeResolvers)) {
        const field = fields[fieldName];
        if (!field || typeof resolve !== 'function') throw new Error(`attachResolvers: ${typeName}.${fieldName} is not a field of the schema`);
        field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
      }
    } else if (type instanceof GraphQLUnionType || type instanceof GraphQLInterfaceType) {
      const resolveType = typeResolvers['__resolveType'];
      if (typeof resolveType !== 'function') throw new Error(`attachResolvers: ${typeName} needs __resolveType`);
      type.resolveType = resolveType as GraphQLTypeResolver<unknown, unknown>;
    } else {
      throw new Error(`attachResolvers: ${typeName} is not an object, union or interface type of the schema`);
    }
  }
  return schema;
}
