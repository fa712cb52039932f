import openapiTS, { astToString } from 'openapi-typescript';
import { renderOpenApi } from './openapi.js';
import { GENERATED_NOTE, type GeneratedFile } from './types.js';

/** `packages/client/src/generated/openapi.ts`: the types of @learnpath/client, from the OpenAPI document. */
export default async function generate(): Promise<GeneratedFile[]> {
  const document = JSON.parse(await renderOpenApi()) as Parameters<typeof openapiTS>[0];
  const ast = await openapiTS(document, { rootTypes: false, alphabetize: false });
  const content = `// ${GENERATED_NOTE} (openapi-typescript from openapi/openapi.json)\n\n${astToString(ast)}`;
  return [{ path: 'packages/client/src/generated/openapi.ts', content }];
}
