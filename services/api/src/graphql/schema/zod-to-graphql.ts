import { z } from 'zod';
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  GraphQLUnionType,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql';

/** How zod schemas become named GraphQL types. */
export interface ZodToGraphqlOptions {
  /** The string fields (or lists of strings) that are identifiers, typed `ID`, by `Type.field`. */
  ids: readonly string[];
  /** Names of object, enum and union schemas, by schema instance. */
  names: ReadonlyMap<z.ZodType, string>;
  /** Names of anonymous objects, enums and unions, by `Type.field`. */
  namesByField: Readonly<Record<string, string>>;
  /** The object type a union member with this single key becomes (e.g. `phase` → `PhaseReference`). */
  referenceMembers: Readonly<Record<string, string>>;
  /** Names of unions of reference members, by their sorted member names joined with `|`. */
  referenceUnions: Readonly<Record<string, { name: string; description: string }>>;
  /** Fields that do not come from the zod schema (resolved links), by type name. */
  extraFields?: Readonly<Record<string, () => GraphQLFieldConfigMap<unknown, unknown>>>;
  /** Output types for fields that need a shape zod cannot express, by `Type.field`. */
  fieldTypes?: Readonly<Record<string, () => GraphQLOutputType>>;
}

/** `in-progress` → `IN_PROGRESS`: GraphQL enum values are upper-case names. */
export function enumValueName(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

const descriptionOf = (schema: z.ZodType): string | undefined => schema.description;

/** Unwraps nullable/optional/default, reporting whether null is allowed. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let inner = schema;
  let nullable = false;
  for (;;) {
    if (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) {
      nullable = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodDefault) {
      inner = inner.unwrap() as z.ZodType;
    } else {
      return { inner, nullable };
    }
  }
}

/**
 * Builds GraphQL output types from zod schemas: objects become object types with every field
 * and its `.describe()` text, enums become enums (values upper-cased, the zod value kept as
 * the internal value), unions of `{ phase } | { resource } | { path }` become unions of
 * reference types. The one converter keeps the served schema and the zod model in step.
 */
export class ZodToGraphql {
  readonly #options: ZodToGraphqlOptions;
  readonly #types = new Map<string, GraphQLObjectType | GraphQLEnumType | GraphQLUnionType>();
  readonly #ids: ReadonlySet<string>;
  readonly #usedIds = new Set<string>();

  constructor(options: ZodToGraphqlOptions) {
    this.#options = options;
    this.#ids = new Set(options.ids);
  }

  /** The declared id fields no type built so far has: a typo, or a field the model lost. */
  unusedIds(): string[] {
    return [...this.#ids].filter((at) => !this.#usedIds.has(at));
  }

  /** Every type built so far, by name. */
  get types(): ReadonlyMap<string, GraphQLObjectType | GraphQLEnumType | GraphQLUnionType> {
    return this.#types;
  }

  /** The object type of a named zod object schema. */
  objectType(schema: z.ZodObject, name?: string, fallbackDescription?: string): GraphQLObjectType {
    const typeName = name ?? this.#options.names.get(schema);
    if (!typeName) throw new Error('objectType: the schema has no GraphQL name');
    const existing = this.#types.get(typeName);
    if (existing) {
      if (!(existing instanceof GraphQLObjectType)) throw new Error(`${typeName} is not an object type`);
      return existing;
    }
    const type: GraphQLObjectType = new GraphQLObjectType({
      name: typeName,
      description: descriptionOf(schema) ?? fallbackDescription,
      fields: () => {
        const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
        for (const [key, value] of Object.entries(schema.shape)) {
          const field = value as z.ZodType;
          const override = this.#options.fieldTypes?.[`${typeName}.${key}`];
          fields[key] = {
            type: override ? override() : this.outputType(field, `${typeName}.${key}`, key),
            description: descriptionOf(field) ?? descriptionOf(unwrap(field).inner),
          };
        }
        return { ...fields, ...(this.#options.extraFields?.[typeName]?.() ?? {}) };
      },
    });
    this.#types.set(typeName, type);
    return type;
  }

  /** The enum type of a zod enum. */
  enumType(schema: z.ZodEnum, name: string): GraphQLEnumType {
    const existing = this.#types.get(name);
    if (existing) {
      if (!(existing instanceof GraphQLEnumType)) throw new Error(`${name} is not an enum type`);
      return existing;
    }
    const type = new GraphQLEnumType({
      name,
      description: descriptionOf(schema),
      values: Object.fromEntries(schema.options.map((value) => [enumValueName(String(value)), { value, description: `\`${String(value)}\`` }])),
    });
    this.#types.set(name, type);
    return type;
  }

  /** The output type of a field schema, `!` unless it is nullable. */
  outputType(schema: z.ZodType, at: string, key: string): GraphQLOutputType {
    const { inner, nullable } = unwrap(schema);
    const base = this.#baseType(inner, at, key, descriptionOf(schema));
    return nullable ? base : new GraphQLNonNull(base);
  }

  #baseType(schema: z.ZodType, at: string, key: string, fieldDescription: string | undefined): GraphQLOutputType {
    if (schema.def.type === 'string') {
      if (!this.#ids.has(at)) return GraphQLString;
      this.#usedIds.add(at);
      return GraphQLID;
    }
    if (schema instanceof z.ZodBoolean) return GraphQLBoolean;
    if (schema instanceof z.ZodNumber) return schema.isInt ? GraphQLInt : GraphQLFloat;
    if (schema instanceof z.ZodArray) {
      const element = schema.element as z.ZodType;
      const { inner, nullable } = unwrap(element);
      const base = this.#baseType(inner, at, key, descriptionOf(element) ?? fieldDescription);
      return new GraphQLList(nullable ? base : new GraphQLNonNull(base));
    }
    if (schema instanceof z.ZodEnum) {
      const name = this.#options.names.get(schema) ?? this.#options.namesByField[at];
      if (!name) throw new Error(`${at}: name this enum in namesByField`);
      return this.enumType(schema, name);
    }
    if (schema instanceof z.ZodObject) {
      const member = this.#referenceMember(schema);
      if (member) return member;
      const name = this.#options.names.get(schema) ?? this.#options.namesByField[at];
      if (!name) throw new Error(`${at}: name this object in namesByField`);
      return this.objectType(schema, name, fieldDescription);
    }
    if (schema instanceof z.ZodUnion) return this.#unionType(schema, at);
    throw new Error(`${at}: no GraphQL type for zod ${schema.def.type}`);
  }

  /** `{ phase }`, `{ resource }`, `{ path }` objects all become the shared reference types. */
  #referenceMember(schema: z.ZodObject): GraphQLObjectType | null {
    const keys = Object.keys(schema.shape);
    const name = keys.length === 1 ? this.#options.referenceMembers[keys[0]!] : undefined;
    if (!name) return null;
    const existing = this.#types.get(name);
    if (existing instanceof GraphQLObjectType) return existing;
    return this.objectType(schema, name);
  }

  #unionType(schema: z.ZodUnion, at: string): GraphQLUnionType {
    const members = (schema.options as readonly z.ZodType[]).map((option) => {
      const member = option instanceof z.ZodObject ? this.#referenceMember(option) : null;
      if (!member) throw new Error(`${at}: union members must be references`);
      return member;
    });
    const key = members
      .map((m) => m.name)
      .sort()
      .join('|');
    const union = this.#options.referenceUnions[key];
    if (!union) throw new Error(`${at}: name the union ${key} in referenceUnions`);
    const existing = this.#types.get(union.name);
    if (existing instanceof GraphQLUnionType) return existing;
    const type = new GraphQLUnionType({ name: union.name, description: union.description, types: members });
    this.#types.set(union.name, type);
    return type;
  }
}
