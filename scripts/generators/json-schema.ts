import { z } from 'zod';
import { LearningPathDocumentSchema, LearningPathSchema } from '@learnpath/schema';
import { CompiledCatalogSchema } from '@learnpath/content';
import { GENERATED_NOTE, type GeneratedFile } from './types.js';

function schemaFile(name: string, title: string, schema: z.ZodType, io: 'input' | 'output'): GeneratedFile {
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });
  const document = {
    $comment: GENERATED_NOTE,
    ...json,
    title,
  };
  return { path: `schemas/${name}`, content: `${JSON.stringify(document, null, 2)}\n` };
}

/** JSON Schema for every document type: what authors write, and what `learnpath build` writes. */
export default async function generate(): Promise<GeneratedFile[]> {
  return [
    schemaFile('learning-path.schema.json', 'Learnpath learning path document', LearningPathDocumentSchema, 'input'),
    schemaFile('compiled-learning-path.schema.json', 'Learnpath compiled learning path', LearningPathSchema, 'output'),
    schemaFile('catalog.schema.json', 'Learnpath compiled catalog', CompiledCatalogSchema, 'output'),
  ];
}
