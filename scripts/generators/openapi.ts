import { createCatalog } from '@learnpath/content';
import { buildApp } from '@learnpath/api';
import { seedPath } from '@learnpath/schema/examples';
import { GENERATED_NOTE, type GeneratedFile } from './types.js';

let rendered: Promise<string> | undefined;

/** The OpenAPI document the service serves at /openapi.json, with the generated marker. */
export function renderOpenApi(): Promise<string> {
  rendered ??= buildOpenApi();
  return rendered;
}

async function buildOpenApi(): Promise<string> {
  // The document depends on the routes and schemas only, never on the served content, so any
  // catalog gives the same bytes; the seed keeps it small.
  const app = await buildApp({ catalog: createCatalog([seedPath]) });
  try {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    if (response.statusCode !== 200) throw new Error(`GET /openapi.json answered ${response.statusCode}`);
    const document = response.json() as Record<string, unknown>;
    return `${JSON.stringify({ 'x-generated': GENERATED_NOTE, ...document }, null, 2)}\n`;
  } finally {
    await app.close();
  }
}

/** `openapi/openapi.json`: the REST API as OpenAPI 3.1. */
export default async function generate(): Promise<GeneratedFile[]> {
  return [{ path: 'openapi/openapi.json', content: await renderOpenApi() }];
}
